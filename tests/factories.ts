// Shared factories for tests, the seed and benchmarks: real rows, sensible defaults.
import bcrypt from "bcryptjs";
import type { Db } from "../lib/db-core";
import { customerKeys } from "../lib/search-key";

let counter = 0;
const next = () => `${Date.now().toString(36)}${(++counter).toString(36)}`;

export async function createOrganization(db: Db, data: { name?: string; urlTemplate?: string | null } = {}) {
  return db.organization.create({
    data: {
      name: data.name ?? `Reseller ${next()}`,
      urlTemplate: data.urlTemplate === undefined ? "https://prov.example.net/snom/{mac}.xml" : data.urlTemplate,
    },
  });
}

export async function createUser(
  db: Db,
  organizationId: string,
  data: {
    email?: string;
    name?: string;
    role?: "ADMIN" | "SALES";
    password?: string;
    disabled?: boolean;
    /** The password was chosen by someone else and must be changed at sign-in (default: the user chose it). */
    mustChangePassword?: boolean;
  } = {},
) {
  const password = data.password ?? "correct horse battery";
  const user = await db.user.create({
    data: {
      organizationId,
      email: data.email ?? `user-${next()}@example.test`,
      name: data.name ?? "Test User",
      role: data.role ?? "ADMIN",
      disabled: data.disabled ?? false,
      mustChangePassword: data.mustChangePassword ?? false,
      passwordHash: await bcrypt.hash(password, 4),
    },
  });
  return { ...user, password };
}

/**
 * The user has chosen their own password since (as after /change-password): for tests that sign in
 * as org:create's admin (createOrganizationWithAdmin) about something else than the first sign-in.
 */
export async function markPasswordChosen(db: Db, email: string) {
  await db.user.update({ where: { email }, data: { mustChangePassword: false } });
}

export async function createCustomer(
  db: Db,
  organizationId: string,
  data: { name?: string; number?: string; urlTemplate?: string | null; contactName?: string | null; contactEmail?: string | null } = {},
) {
  const id = next();
  const texts = {
    name: data.name ?? `Customer ${id}`,
    number: data.number ?? `C-${id}`,
    contactName: data.contactName ?? null,
    contactEmail: data.contactEmail ?? null,
  };
  return db.customer.create({
    data: { organizationId, ...texts, ...customerKeys(texts), urlTemplate: data.urlTemplate ?? null },
  });
}

/** Deterministic snom MACs: 000413 followed by six hex digits of `n`. */
export function snomMac(n: number): string {
  return `000413${n.toString(16).toUpperCase().padStart(6, "0")}`;
}
