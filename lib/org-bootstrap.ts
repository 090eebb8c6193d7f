// Creating an organization with its first admin, outside the web app (CLI, seed). No "server-only":
// scripts run it with tsx.
import { randomBytes } from "node:crypto";
import bcrypt from "bcryptjs";
import { z } from "zod";
import type { Db } from "./db-core";
import { withTransactionRetry } from "./data/retry";
import { checkProvisioningUrl, trimUrlInput } from "./urls";

export const NewOrganizationSchema = z.object({
  name: z.string().trim().min(2, "The organization name needs at least 2 characters.").max(120),
  adminEmail: z.string().trim().toLowerCase().email("Give the admin's e-mail address, e.g. admin@reseller.example"),
  adminName: z.string().trim().min(1).max(120).optional(),
  urlTemplate: z
    .string()
    .transform(trimUrlInput)
    .superRefine((v, ctx) => {
      const check = checkProvisioningUrl(v);
      if (!check.ok) ctx.addIssue({ code: "custom", message: check.message });
    })
    .nullable()
    .optional(),
});

export type NewOrganization = z.infer<typeof NewOrganizationSchema>;

/** A readable initial password: 4 groups of 4 characters without look-alikes. */
export function generatePassword(): string {
  const alphabet = "abcdefghjkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789";
  const bytes = randomBytes(16);
  const chars = [...bytes].map((b) => alphabet[b % alphabet.length]);
  return [0, 4, 8, 12].map((i) => chars.slice(i, i + 4).join("")).join("-");
}

/**
 * A new organization with its first admin (CLI `org:create`, seed). The admin gets `password` (a
 * generated one by default), which someone else chose: they must choose their own at the first
 * sign-in (`mustChangePassword`, docs/decisions/0018-initial-passwords.md). Throws an Error naming the
 * e-mail when a user already has it, also when another process creates that user at the same
 * moment: the unique e-mail refuses the second create, the transaction runs again
 * (lib/data/retry.ts) and its check finds the other's user.
 */
export async function createOrganizationWithAdmin(
  db: Db,
  input: NewOrganization,
  password = generatePassword(),
): Promise<{ organizationId: string; adminEmail: string; password: string }> {
  const data = NewOrganizationSchema.parse(input);
  const passwordHash = await bcrypt.hash(password, 12);
  const org = await withTransactionRetry(() =>
    db.$transaction(async (tx) => {
      const existing = await tx.user.findUnique({ where: { email: data.adminEmail }, select: { id: true } });
      if (existing) throw new Error(`A user with the e-mail ${data.adminEmail} already exists.`);
      return tx.organization.create({
        data: {
          name: data.name,
          urlTemplate: data.urlTemplate ?? null,
          users: {
            create: {
              email: data.adminEmail,
              name: data.adminName ?? data.adminEmail.split("@")[0],
              role: "ADMIN",
              passwordHash,
              mustChangePassword: true,
            },
          },
        },
        select: { id: true },
      });
    }),
  );
  return { organizationId: org.id, adminEmail: data.adminEmail, password };
}
