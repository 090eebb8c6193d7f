import "server-only";
import { prisma } from "../db";
import { lockInTransaction } from "../db-dialect";
import { hashPassword, verifyPassword } from "../auth/password";
import type { Role } from "../auth/roles";
import { fail, isUniqueViolation, type Actor, type Result } from "./common";
import { runTransaction } from "./transaction";

export async function listUsers(actor: Actor) {
  return prisma.user.findMany({
    where: { organizationId: actor.organizationId },
    orderBy: [{ disabled: "asc" }, { name: "asc" }],
    select: { id: true, name: true, email: true, role: true, disabled: true, mustChangePassword: true, createdAt: true },
  });
}

/**
 * A new user of the actor's organization (Users page) with the password the admin typed: they must
 * choose their own at the first sign-in (`mustChangePassword`, docs/decisions/0018-initial-passwords.md).
 */
export async function createUser(
  actor: Actor,
  input: { name: string; email: string; role: Role; password: string },
): Promise<Result<{ id: string }>> {
  try {
    const user = await prisma.user.create({
      data: {
        organizationId: actor.organizationId,
        name: input.name,
        email: input.email,
        role: input.role,
        passwordHash: await hashPassword(input.password),
        mustChangePassword: true,
      },
      select: { id: true },
    });
    return { ok: true, id: user.id };
  } catch (e) {
    // Do not reveal which organization holds the e-mail.
    if (isUniqueViolation(e)) return fail("This e-mail is already in use.", { email: ["This e-mail is already in use."] });
    throw e;
  }
}

/** Role and disabled flag; an admin cannot lock themselves or the organization out. */
export async function updateUserAccess(
  actor: Actor,
  id: string,
  change: { role?: Role; disabled?: boolean },
): Promise<Result | null> {
  return runTransaction(async (tx) => {
    // "At least one active admin" is a check, then a write: two admins demoting each other at once
    // would both see two admins. The organization's lock makes the second wait and count again.
    await lockInTransaction(tx, `admins:${actor.organizationId}`);
    const user = await tx.user.findFirst({
      where: { id, organizationId: actor.organizationId },
      select: { id: true, role: true, disabled: true },
    });
    if (!user) return null;
    if (id === actor.id && (change.disabled || (change.role && change.role !== "ADMIN"))) {
      return fail("You cannot disable yourself or take away your own admin role; ask another admin.");
    }
    const losesAdmin = user.role === "ADMIN" && !user.disabled && (change.disabled || change.role === "SALES");
    if (losesAdmin) {
      const admins = await tx.user.count({
        where: { organizationId: actor.organizationId, role: "ADMIN", disabled: false },
      });
      if (admins <= 1) return fail("The organization needs at least one active admin.");
    }
    await tx.user.update({ where: { id }, data: change });
    return { ok: true as const };
  });
}

/**
 * The user replaces their own password (Settings, or the forced change at /change-password): the
 * current one must be right and the new one differ from it. Ends every session of the user and
 * clears `mustChangePassword`.
 */
export async function changeOwnPassword(actor: Actor, current: string, next: string): Promise<Result> {
  const user = await prisma.user.findUnique({ where: { id: actor.id }, select: { passwordHash: true } });
  if (!user || !(await verifyPassword(current, user.passwordHash))) {
    return fail("The current password is not correct.", { currentPassword: ["The current password is not correct."] });
  }
  // The one someone else chose must really be replaced, not typed again.
  if (next === current) {
    return fail("Choose a new password, not the current one.", { newPassword: ["Choose a new password, not the current one."] });
  }
  const passwordHash = await hashPassword(next);
  await prisma.$transaction([
    prisma.user.update({
      where: { id: actor.id },
      data: { passwordHash, sessionsValidFrom: wholeSecondNow(), mustChangePassword: false },
    }),
    revokeOpenSessions(actor.id),
  ]);
  return { ok: true };
}

/**
 * An admin sets a new password for a user of the organization (e.g. a forgotten one). Their sessions
 * end, and they must choose their own at the next sign-in, unless the admin set their own password
 * here (they chose it themselves). Null for another organization's user.
 */
export async function setUserPassword(actor: Actor, id: string, password: string): Promise<Result | null> {
  const user = await prisma.user.findFirst({ where: { id, organizationId: actor.organizationId }, select: { id: true } });
  if (!user) return null;
  const passwordHash = await hashPassword(password);
  await prisma.$transaction([
    prisma.user.update({
      where: { id },
      data: { passwordHash, sessionsValidFrom: wholeSecondNow(), mustChangePassword: id !== actor.id },
    }),
    revokeOpenSessions(id),
  ]);
  return { ok: true };
}

/**
 * Ends every open session of the user by its row (decision 0006), as the password changes. Needed
 * besides `sessionsValidFrom`: that one counts whole seconds, so a session signed in during the
 * second of the change (the one making the change, quickly) would otherwise stay valid.
 */
function revokeOpenSessions(userId: string) {
  return prisma.authSession.updateMany({ where: { userId, revokedAt: null }, data: { revokedAt: new Date() } });
}

/** Sessions carry their issue time in whole seconds: one signed in during this second stays valid. */
function wholeSecondNow(): Date {
  return new Date(Math.floor(Date.now() / 1000) * 1000);
}
