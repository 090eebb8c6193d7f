// No "server-only": integration tests run sign-ins against their own databases and limiters.
import { z } from "zod";
import type { Db } from "../db-core";
import { writeAuditEvent } from "../audit/events";
import { verifyAgainstDummy, verifyPassword } from "./password";
import type { SignInLimiter } from "./attempts";

/** Sessions last at most this long from sign-in (the JWT and its AuthSession row alike). */
export const SESSION_MAX_AGE_SECONDS = 12 * 60 * 60;

const CredentialsSchema = z.object({
  email: z.string().trim().toLowerCase().email().max(200),
  password: z.string().min(1).max(200),
});

export type SignInClient = { address: string; userAgent: string | null };

export type SignInOutcome =
  | { kind: "ok"; user: { id: string; name: string; email: string }; sessionId: string }
  | { kind: "invalid" }
  | { kind: "paused"; retryAfterMs: number }
  | { kind: "disabled" };

/**
 * Checks e-mail and password under the sign-in limits and, when right, opens a session row.
 * The same answer (`invalid`) and the same bcrypt work for an unknown e-mail and a wrong password;
 * `paused` depends only on the typed e-mail and the address, never on whether the account exists.
 * Every checked attempt is audited: failures for unknown e-mails with no organization (visible to
 * no tenant), others in the account's organization. The password never reaches the log.
 */
export async function authenticate(
  db: Db,
  limiter: SignInLimiter,
  raw: unknown,
  client: SignInClient,
): Promise<SignInOutcome> {
  const parsed = CredentialsSchema.safeParse(raw);
  if (!parsed.success) return { kind: "invalid" };
  const { email, password } = parsed.data;

  const check = await limiter.check(email, client.address);
  if (!check.allowed) return { kind: "paused", retryAfterMs: check.retryAfterMs };

  const user = await db.user.findUnique({
    where: { email },
    select: { id: true, name: true, email: true, passwordHash: true, disabled: true, organizationId: true },
  });
  const ok = user ? await verifyPassword(password, user.passwordHash) : await verifyAgainstDummy(password);
  const audit = (action: "auth.sign_in" | "auth.sign_in_failed", summary: string) =>
    writeAuditEvent(db, {
      organizationId: user?.organizationId ?? null,
      actorUserId: action === "auth.sign_in" ? (user?.id ?? null) : null,
      actorEmail: email,
      action,
      targetType: "user",
      targetId: user?.id ?? null,
      summary,
      ipAddress: client.address,
    });

  if (!user || !ok) {
    await limiter.recordFailure(email, client.address);
    await audit("auth.sign_in_failed", user ? "Wrong password." : "Unknown e-mail.");
    return { kind: "invalid" };
  }
  // Only with the right password: says nothing about accounts to someone guessing.
  if (user.disabled) {
    await audit("auth.sign_in_failed", "Account disabled.");
    return { kind: "disabled" };
  }
  await limiter.recordSuccess(email, client.address);
  const session = await db.authSession.create({
    data: {
      userId: user.id,
      expiresAt: new Date(Date.now() + SESSION_MAX_AGE_SECONDS * 1000),
      ipAddress: client.address,
      userAgent: client.userAgent?.slice(0, 300) ?? null,
    },
    select: { id: true },
  });
  // The action already says "Signed in"; the summary adds where from (the address column is hidden on phones).
  await audit("auth.sign_in", `From ${client.address}`);
  return { kind: "ok", user: { id: user.id, name: user.name, email: user.email }, sessionId: session.id };
}

/** Ends a session on the server: its JWT is refused from now on. Unknown ids are ignored. */
export async function revokeSession(db: Db, sessionId: string): Promise<{ userId: string } | null> {
  const session = await db.authSession.findUnique({
    where: { id: sessionId },
    select: { userId: true, revokedAt: true },
  });
  if (!session) return null;
  if (!session.revokedAt) await db.authSession.update({ where: { id: sessionId }, data: { revokedAt: new Date() } });
  return { userId: session.userId };
}
