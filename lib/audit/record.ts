import "server-only";
import { headers } from "next/headers";
import { prisma } from "../db";
import { env } from "../env";
import { clientAddress } from "../auth/client-address";
import type { SessionUser } from "../auth/guards";
import { writeAuditEvent, type AuditAction } from "./events";

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
