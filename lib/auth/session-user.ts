import "server-only";
import type { Db } from "../db-core";
import type { Role } from "./roles";
import { isSessionRowOpen, isSessionStillValid } from "./session-validity";

export type SessionUser = {
  id: string;
  name: string;
  email: string;
  role: Role;
  organizationId: string;
  organizationName: string;
  /** Someone else chose the password (org:create, an admin): only /change-password and sign-out until it changes. */
  mustChangePassword: boolean;
};

/** The claims of a session's JWT that name it: user id, AuthSession id, issued at (seconds). */
export type SessionClaims = { uid?: string; sid?: string; iat?: number };

/**
 * The user of a session, fresh from the database (role changes, disabling and a pending password
 * change apply at once), or null. The session must have an open AuthSession row (not signed out,
 * not expired) of this user, and have been issued after the user's last password change. One query:
 * the session row and its user.
 */
export async function loadSessionUser(db: Db, claims: SessionClaims | null): Promise<SessionUser | null> {
  if (!claims?.uid || !claims.sid) return null;
  const open = await db.authSession.findUnique({
    where: { id: claims.sid },
    select: {
      userId: true,
      revokedAt: true,
      expiresAt: true,
      user: {
        select: {
          id: true,
          name: true,
          email: true,
          role: true,
          disabled: true,
          sessionsValidFrom: true,
          mustChangePassword: true,
          organizationId: true,
          organization: { select: { name: true } },
        },
      },
    },
  });
  if (!open || !isSessionRowOpen(open, claims.uid)) return null;
  const user = open.user;
  if (!user || user.disabled) return null;
  if (!isSessionStillValid(claims.iat, user.sessionsValidFrom)) return null;
  return {
    id: user.id,
    name: user.name,
    email: user.email,
    role: user.role as Role,
    organizationId: user.organizationId,
    organizationName: user.organization.name,
    mustChangePassword: user.mustChangePassword,
  };
}
