import type { Role } from "@/lib/db/generated/enums";
import { hasPermission, type Permission } from "./permissions";

// The main navigation, and who may open each page. A page listed with a
// permission answers 403 to people without it (requirePermission), so the
// navigation shows it only to people who hold it.

export interface NavItem {
  href: string;
  label: string;
  permission?: Permission;
}

export const NAV_ITEMS: readonly NavItem[] = [
  { href: "/", label: "Dashboard", permission: "inventory:read" },
  { href: "/inventory", label: "Inventory", permission: "inventory:read" },
  { href: "/discovered", label: "Discovered", permission: "inventory:read" },
  { href: "/templates", label: "Templates", permission: "inventory:read" },
  { href: "/tasks", label: "My tasks" },
  { href: "/campaigns", label: "Campaigns", permission: "inventory:read" },
  { href: "/approvals", label: "Approvals" },
  { href: "/policies", label: "Policies", permission: "policies:read" },
  { href: "/decisions", label: "Decisions", permission: "policies:read" },
  { href: "/activity", label: "Activity", permission: "inventory:read" },
  { href: "/controls", label: "Controls", permission: "controls:read" },
  { href: "/audit", label: "Audit log", permission: "audit:read" },
  { href: "/evidence", label: "Evidence", permission: "evidence:export" },
  { href: "/admin", label: "Admin" },
];

/** The links a person with these roles may open. */
export function navItemsFor(roles: readonly Role[]): { href: string; label: string }[] {
  return NAV_ITEMS.filter((item) => !item.permission || hasPermission(roles, item.permission)).map(({ href, label }) => ({ href, label }));
}
