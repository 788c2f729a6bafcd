import { z } from "zod";
import { Role } from "@/lib/db/generated/enums";
import { rolesConflict } from "@/lib/auth/permissions";

export const roleSchema = z.enum(Object.values(Role) as [Role, ...Role[]], {
  message: `must be one of ${Object.values(Role).join(", ")}`,
});

/** Accepts an array or a single value (a form sends one checkbox as a string). */
export const rolesSchema = z
  .preprocess((value) => (value === undefined ? [] : Array.isArray(value) ? value : [value]), z.array(roleSchema))
  .transform((roles) => [...new Set(roles)])
  .superRefine((roles, ctx) => {
    const conflict = rolesConflict(roles);
    if (conflict) ctx.addIssue({ code: "custom", message: conflict });
  });

export const createUserInput = z.object({
  email: z.string().trim().toLowerCase().email({ message: "must be an email address" }),
  name: z.string().trim().min(1, { message: "is required" }).max(200, { message: "must be at most 200 characters" }),
  roles: rolesSchema,
});

export const setUserRolesInput = z.object({
  userId: z.string().min(1, { message: "is required" }),
  roles: rolesSchema,
});

export const userIdInput = z.object({
  userId: z.string().min(1, { message: "is required" }),
});
