// No "server-only": the background prune timer and tests use these with their own Prisma client.
import type { Db } from "../db-core";
import { searchKey } from "../search-key";

/**
 * Every action the audit log records, with the label the /audit page shows.
 * Source: issue 8, point 12 (every user action that changes data, and sign-ins).
 */
export const AUDIT_ACTIONS = {
  "auth.sign_in": "Signed in",
  "auth.sign_in_failed": "Sign-in failed",
  "auth.sign_out": "Signed out",
  "org.setup": "Organization set up",
  "org.update": "Organization settings changed",
  "user.create": "User created",
  "user.role": "User role changed",
  "user.disable": "User disabled",
  "user.enable": "User enabled",
  "user.password_reset": "User password set by admin",
  "user.password_change": "Own password changed",
  "redirection.test": "Redirection account tested",
  "redirection.save": "Redirection account saved",
  "customer.create": "Customer created",
  "customer.update": "Customer edited",
  "customer.delete": "Customer deleted",
  "customer.sync": "Customer phones queued (sync now / retry all failed)",
  "phone.create": "Phone added",
  "phone.update": "Phone edited",
  "phone.move": "Phone moved",
  "phone.delete": "Phone deleted",
  "phone.retry": "Phone retried",
  "import.paste_add": "Pasted phones added",
  "import.file_add": "Imported phones added",
  "customer.profile": "Customer's configuration profile chosen",
  "phone.setting_override": "Phone setting overridden",
  "provisioning.rotate_token": "Provisioning address created or rotated",
  "provisioning.use_as_default_url": "Provisioning address made the default URL",
  "provisioning.credentials": "Provisioning credentials changed",
  "provisioning.profile_create": "Configuration profile created",
  "provisioning.profile_update": "Configuration profile saved",
  "provisioning.default_profile": "Default configuration profile chosen",
  "provisioning.profile_delete": "Configuration profile deleted",
  "reconcile.scan": "Import scan or reconcile started",
  "reconcile.fix": "Reconcile fix applied",
  "reconcile.schedule": "Reconcile schedule changed",
  "reconcile.repoint": "Phones re-pointed to a new URL",
  "reconcile.repoint_rollback": "Re-point rolled back",
  "phone.owner_recheck": "Owner of a phone checked again",
  "phone.bulk": "Bulk action on phones",
} as const;

export type AuditAction = keyof typeof AUDIT_ACTIONS;

export function isAuditAction(v: string): v is AuditAction {
  return Object.hasOwn(AUDIT_ACTIONS, v);
}

/** Audit events are kept at least this long, then pruned (issue 8: at least 400 days). */
export const AUDIT_RETENTION_DAYS = 400;

/** Longest summary stored; summaries are short "what changed" notes, never whole records. */
export const MAX_SUMMARY_CHARS = 500;

export type AuditEventInput = {
  /** null: visible to no organization (e.g. a failed sign-in for an unknown e-mail). */
  organizationId: string | null;
  actorUserId: string | null;
  /** The actor's e-mail at the time (kept when the user is renamed or deleted). */
  actorEmail: string;
  action: AuditAction;
  targetType: string;
  targetId?: string | null;
  /** Short before/after note. Callers never put passwords, hashes or keys here. */
  summary: string;
  ipAddress?: string | null;
  createdAt?: Date;
};

/** The search key of an audit event: its summary and the actor's e-mail, folded (lib/search-key.ts). */
export function auditKey(e: { summary: string; actorEmail: string }): string {
  return searchKey(e.summary, e.actorEmail);
}

/** Writes one audit row; over-long fields are cut, never rejected (the action already happened). */
export async function writeAuditEvent(db: Db, e: AuditEventInput): Promise<void> {
  const actorEmail = e.actorEmail.slice(0, 200);
  const summary = e.summary.replace(/[\r\n]+/g, " ").slice(0, MAX_SUMMARY_CHARS);
  await db.auditEvent.create({
    data: {
      organizationId: e.organizationId,
      actorUserId: e.actorUserId,
      actorEmail,
      action: e.action,
      targetType: e.targetType.slice(0, 40),
      targetId: e.targetId?.slice(0, 64) ?? null,
      summary,
      searchKey: auditKey({ summary, actorEmail }),
      ipAddress: e.ipAddress?.slice(0, 64) ?? null,
      ...(e.createdAt ? { createdAt: e.createdAt } : {}),
    },
  });
}

/**
 * Housekeeping, run hourly by lib/background.ts: audit events older than AUDIT_RETENTION_DAYS,
 * sign-in failures older than a day and sessions that ended (expired or revoked) over a day ago.
 * Returns the number of rows removed per table.
 */
export async function pruneAuthAndAudit(db: Db, now: Date = new Date()) {
  const auditBefore = new Date(now.getTime() - AUDIT_RETENTION_DAYS * 24 * 60 * 60_000);
  const dayAgo = new Date(now.getTime() - 24 * 60 * 60_000);
  const audit = await db.auditEvent.deleteMany({ where: { createdAt: { lt: auditBefore } } });
  const failures = await db.signInFailure.deleteMany({ where: { createdAt: { lt: dayAgo } } });
  const sessions = await db.authSession.deleteMany({
    where: { OR: [{ expiresAt: { lt: dayAgo } }, { revokedAt: { lt: dayAgo } }] },
  });
  return { auditEvents: audit.count, signInFailures: failures.count, sessions: sessions.count };
}
