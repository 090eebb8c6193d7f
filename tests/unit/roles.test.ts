import { describe, expect, it } from "vitest";
import { hasPermission, type Permission } from "@/lib/auth/roles";

const ALL: Permission[] = [
  "customers:write",
  "phones:write",
  "phones:configure",
  "phones:bulk-delete",
  "phones:sync",
  "users:manage",
  "org:manage",
  "audit:read",
];

describe("hasPermission", () => {
  it.each(ALL)("ADMIN may %s", (p) => {
    expect(hasPermission("ADMIN", p)).toBe(true);
  });

  it.each([
    ["customers:write", true],
    ["phones:write", true],
    // A phone's settings overrides carry its SIP identity: admins only (decision 0017).
    ["phones:configure", false],
    // Deleting many phones deregisters them all at the service: admins only (decision 0019).
    ["phones:bulk-delete", false],
    ["phones:sync", true],
    ["users:manage", false],
    ["org:manage", false],
  ] as const)("SALES %s → %s", (p, allowed) => {
    expect(hasPermission("SALES", p)).toBe(allowed);
  });

  it.each(["", "admin", "ROOT", "SALES ", "__proto__"])("an unknown role %j has no permission", (role) => {
    for (const p of ALL) expect(hasPermission(role, p)).toBe(false);
  });
});
