import { describe, expect, it } from "vitest";
import { hasPermission, permissionsFor, rolesConflict } from "./permissions";

describe("permissions", () => {
  it("lets every signed-in member own identities and manage their own tokens", () => {
    expect(hasPermission([], "inventory:write")).toBe(true);
    expect(hasPermission([], "tokens:manage-own")).toBe(true);
    expect(hasPermission([], "users:manage")).toBe(false);
  });

  it("gives an auditor read access to everything and no change at all; exporting evidence is the one thing they ask for", () => {
    const granted = [...permissionsFor(["AUDITOR"])];
    expect(granted).toEqual(expect.arrayContaining(["inventory:read", "audit:read", "users:read"]));
    expect(granted.filter((permission) => !permission.endsWith(":read"))).toEqual(["evidence:export"]);
  });

  it("keeps user management with admins", () => {
    expect(hasPermission(["ADMIN"], "users:manage")).toBe(true);
    expect(hasPermission(["SECURITY_LEAD", "APPROVER"], "users:manage")).toBe(false);
  });

  it("refuses to combine auditor with any other role", () => {
    expect(rolesConflict(["AUDITOR", "ADMIN"])).toMatch(/cannot be combined/);
    expect(rolesConflict(["AUDITOR"])).toBeUndefined();
    expect(rolesConflict(["ADMIN", "SECURITY_LEAD"])).toBeUndefined();
  });
});
