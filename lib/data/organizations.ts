import "server-only";
import { prisma } from "../db";
import type { Db } from "../db-core";
import { lockInTransaction } from "../db-dialect";
import { hashPassword } from "../auth/password";
import { enqueuePhoneSync } from "../sync/outbox";
import type { Actor, Result } from "./common";
import { runTransaction } from "./transaction";
import { canSeeServiceAccount, provisioningUrlRedactor } from "./need-to-know";
import { withTransactionRetry } from "./retry";

/**
 * The acting user's organization. The redirection endpoint URL and username are null for users
 * without `org:manage` (need to know, lib/data/need-to-know.ts): pages cannot leak what they never get.
 * Its URL template is masked for roles without `phones:configure` (provisioningUrlRedactor).
 */
export async function getOrganization(actor: Actor) {
  const org = await prisma.organization.findUniqueOrThrow({
    where: { id: actor.organizationId },
    select: {
      id: true,
      name: true,
      urlTemplate: true,
      rdsEndpointKind: true,
      rdsCustomUrl: true,
      rdsUsername: true,
      rdsPausedAt: true,
      rdsPausedReason: true,
      circuitOpenedAt: true,
    },
  });
  const mask = await provisioningUrlRedactor(actor);
  const shown = { ...org, urlTemplate: mask(org.urlTemplate) };
  return canSeeServiceAccount(actor) ? shown : { ...shown, rdsCustomUrl: null, rdsUsername: null };
}

/** What the losers of a first-run race are told (the winner's organization exists by then). */
export const ALREADY_SET_UP_MESSAGE = "The portal was just set up by someone else: sign in.";

/**
 * First run: the first organization and its admin, only while no user exists at all. However many
 * submit at once (several app instances, one database), exactly one organization and admin come
 * out: the check and the creation run under one lock (lib/db-dialect.ts lockInTransaction), so the
 * others wait, then see the user and answer "already_set_up". A lost race the lock does not cover
 * (the same e-mail created elsewhere) is retried (withTransactionRetry) and ends the same way.
 * `db` is the portal's client; tests pass one per simulated instance.
 */
export async function setupFirstRun(
  input: { organizationName: string; urlTemplate: string | null; name: string; email: string; password: string },
  db: Db = prisma,
): Promise<Result | "already_set_up"> {
  const passwordHash = await hashPassword(input.password);
  return withTransactionRetry(() =>
    db.$transaction(async (tx) => {
      await lockInTransaction(tx, "first-run-setup");
      if ((await tx.user.count()) > 0) return "already_set_up" as const;
      await tx.organization.create({
        data: {
          name: input.organizationName,
          urlTemplate: input.urlTemplate,
          users: { create: { name: input.name, email: input.email, role: "ADMIN", passwordHash } },
        },
      });
      return { ok: true as const };
    }),
  );
}

/** Phones that take their URL from the organization's default (no override, customer without template). */
function usesDefaultUrl(actor: Actor) {
  return { organizationId: actor.organizationId, urlOverride: null, deletedAt: null, customer: { urlTemplate: null } };
}

/**
 * How many phones a change of the organization's default URL template would re-register: 0 when the
 * template stays the same.
 */
export async function countPhonesForDefaultUrlChange(actor: Actor, urlTemplate: string | null): Promise<number> {
  const org = await prisma.organization.findUniqueOrThrow({ where: { id: actor.organizationId }, select: { urlTemplate: true } });
  if ((org.urlTemplate ?? null) === urlTemplate) return 0;
  return prisma.phone.count({ where: usesDefaultUrl(actor) });
}

export async function updateOrganizationSettings(
  actor: Actor,
  input: { name: string; urlTemplate: string | null },
): Promise<Result<{ requeued: number }>> {
  return runTransaction(async (tx) => {
    const before = await tx.organization.findUniqueOrThrow({
      where: { id: actor.organizationId },
      select: { urlTemplate: true },
    });
    await tx.organization.update({ where: { id: actor.organizationId }, data: input });
    if ((before.urlTemplate ?? null) !== input.urlTemplate) {
      // Phones that take their URL from the organization: no override, customer without template.
      const affected = await tx.phone.findMany({ where: usesDefaultUrl(actor), select: { id: true } });
      await enqueuePhoneSync(tx, actor.organizationId, affected.map((p) => p.id));
      return { ok: true as const, requeued: affected.length };
    }
    return { ok: true as const, requeued: 0 };
  });
}

