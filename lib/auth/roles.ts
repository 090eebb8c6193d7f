// Pure authorization rules, shared by guards, pages and tests.
import { z } from "zod";

export const RoleSchema = z.enum(["ADMIN", "SALES"]);
export type Role = z.infer<typeof RoleSchema>;

export type Permission = "customers:write" | "phones:write" | "users:manage" | "org:manage" | "phones:sync" | "audit:read";

const GRANTS: Record<Role, readonly Permission[]> = {
  ADMIN: ["customers:write", "phones:write", "users:manage", "org:manage", "phones:sync", "audit:read"],
  SALES: ["customers:write", "phones:write", "phones:sync"],
};

export function hasPermission(role: string, permission: Permission): boolean {
  const parsed = RoleSchema.safeParse(role);
  return parsed.success && GRANTS[parsed.data].includes(permission);
}

export const ROLE_LABELS: Record<Role, string> = { ADMIN: "Admin", SALES: "Sales" };
