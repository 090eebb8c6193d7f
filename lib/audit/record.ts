import "server-only";
import { headers } from "next/headers";
import { prisma } from "../db";
import { env } from "../env";
import { clientAddress } from "../auth/client-address";
import type { SessionUser } from "../auth/guards";
import { writeAuditEvent, type AuditAction } from "./events";
import { describeChanges } from "./summary";

/** The acting user's fields the audit log needs (SessionUser has them). */
export type AuditUser = Pick<SessionUser, "id" | "email" | "organizationId">;

/** The client address of the current request, or null outside one (scripts, tests). */
export async function currentClientAddress(): Promise<string | null> {
  try {
    const h = await headers();
    return clientAddress((name) => h.get(name), env.TRUST_PROXY);
  } catch {
    return null;
  }
}

/**
 * One line in the audit log for a change the user just made, in their organization, with the
 * request's client address. Server actions call it once after the change succeeded.
 * `summary`: a short note of what changed; never a password, hash or key.
 */
export async function recordAudit(
  user: AuditUser,
  action: AuditAction,
  target: { type: string; id?: string | null },
  summary: string,
): Promise<void> {
  await writeAuditEvent(prisma, {
    organizationId: user.organizationId,
    actorUserId: user.id,
    actorEmail: user.email,
    action,
    targetType: target.type,
    targetId: target.id ?? null,
    summary,
    ipAddress: await currentClientAddress(),
  });
}

/** A user of the actor's organization as the log names them (their e-mail), or the bare id. */
export async function auditUserLabel(actor: { organizationId: string }, id: string): Promise<string> {
  const user = await prisma.user.findFirst({
    where: { id, organizationId: actor.organizationId },
    select: { email: true },
  });
  return user?.email ?? id;
}

/**
 * A phone of the actor's organization as the log names it, the way a single delete does:
 * `000413D34003 of customer Zahnarztpraxis Dr. Weber`; the bare id when it is not the actor's.
 * Phones marked for removal are still named.
 */
export async function auditPhoneLabel(actor: { organizationId: string }, id: string): Promise<string> {
  const phone = await prisma.phone.findFirst({
    where: { id, organizationId: actor.organizationId },
    select: { mac: true, customer: { select: { name: true } } },
  });
  return phone ? `${phone.mac} of customer ${phone.customer.name}` : id;
}

/**
 * One audit row about one phone, linked to it: its MAC and customer, then `note`, e.g.
 * `000413D34003 of customer Zahnarztpraxis Dr. Weber: user_pass:1 set`.
 */
export async function recordPhoneAudit(
  user: AuditUser,
  action: AuditAction,
  phoneId: string,
  note: string,
): Promise<void> {
  await recordAudit(user, action, { type: "phone", id: phoneId }, `${await auditPhoneLabel(user, phoneId)}: ${note}`);
}

/**
 * Names of customers of the actor's organization, in the order of `ids` (an id of another
 * organization or a deleted customer is left out). For audit summaries that say where phones went.
 */
export async function auditCustomerNames(actor: { organizationId: string }, ids: string[]): Promise<string[]> {
  if (ids.length === 0) return [];
  const rows = await prisma.customer.findMany({
    where: { id: { in: ids }, organizationId: actor.organizationId },
    select: { id: true, name: true },
  });
  const byId = new Map(rows.map((r) => [r.id, r.name]));
  return ids.flatMap((id) => (byId.has(id) ? [byId.get(id)!] : []));
}

/** First-run setup: the new admin sets up the organization (no session exists yet). */
export async function recordSetup(adminEmail: string): Promise<void> {
  const admin = await prisma.user.findUnique({
    where: { email: adminEmail },
    select: { id: true, email: true, organizationId: true, organization: { select: { name: true } } },
  });
  if (!admin) return;
  await recordAudit(
    admin,
    "org.setup",
    { type: "organization", id: admin.organizationId },
    `${admin.organization.name}, first admin ${admin.email}`,
  );
}

/**
 * A phone edit as the log shows it: `phone.move` when the customer changed (named, not by id), and
 * the changed fields, e.g. `000413AABBCC: customer “Hotel A” → “Hotel B”; label “–” → “Desk 2”`.
 */
export async function describePhoneEdit(
  actor: { organizationId: string },
  before: {
    mac: string;
    label: string | null;
    model: string | null;
    serial: string | null;
    urlOverride: string | null;
    customer: { id: string; name: string };
  } | null,
  after: {
    customerId: string;
    label: string | null;
    model: string | null;
    serial: string | null;
    urlOverride: string | null;
  },
): Promise<{ action: "phone.move" | "phone.update"; summary: string }> {
  const moved = !!before && before.customer.id !== after.customerId;
  const target = moved
    ? await prisma.customer.findFirst({
        where: { id: after.customerId, organizationId: actor.organizationId },
        select: { name: true },
      })
    : null;
  const { customerId, ...fields } = after;
  const changes = describeChanges(
    before && {
      customer: before.customer.name,
      label: before.label,
      model: before.model,
      serial: before.serial,
      urlOverride: before.urlOverride,
    },
    { customer: moved ? (target?.name ?? customerId) : before?.customer.name, ...fields },
  );
  return { action: moved ? "phone.move" : "phone.update", summary: `${before?.mac}: ${changes}` };
}
