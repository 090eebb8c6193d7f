import "server-only";
import { cache } from "react";
import { getServerSession } from "next-auth";
import { forbidden, redirect } from "next/navigation";
import { headers } from "next/headers";
import { safeCallbackPath } from "./callback";
import { prisma } from "../db";
import { readingDatabase } from "../database-unreachable";
import { authOptions } from "./options";
import { hasPermission, PERMISSION_DENIED_MESSAGES, type Permission, type Role } from "./roles";
import { isSessionRowOpen, isSessionStillValid } from "./session-validity";

export type SessionUser = {
  id: string;
  name: string;
  email: string;
  role: Role;
  organizationId: string;
  organizationName: string;
};

/** Whether the portal still needs its first-run setup (no user exists yet). */
export async function needsSetup(): Promise<boolean> {
  return (await readingDatabase(() => prisma.user.count())) === 0;
}

/**
 * The signed-in user, fresh from the database (role changes and disabling apply at once), or null.
 * The session must have an open AuthSession row (not signed out, not expired) of this user, and
 * have been issued after the user's last password change.
 */
export const getCurrentUser = cache(async (): Promise<SessionUser | null> => {
  const session = (await getServerSession(authOptions())) as { uid?: string; sid?: string; iat?: number } | null;
  if (!session?.uid || !session.sid) return null;
  // One query: the session row and its user.
  const open = await readingDatabase(() => prisma.authSession.findUnique({
    where: { id: session.sid },
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
          organizationId: true,
          organization: { select: { name: true } },
        },
      },
    },
  }));
  if (!open || !isSessionRowOpen(open, session.uid)) return null;
  const user = open.user;
  if (!user || user.disabled) return null;
  if (!isSessionStillValid(session.iat, user.sessionsValidFrom)) return null;
  return {
    id: user.id,
    name: user.name,
    email: user.email,
    role: user.role as Role,
    organizationId: user.organizationId,
    organizationName: user.organization.name,
  };
});

/** Every page, action and route handler calls this (or requirePermission) first. */
export async function requireUser(): Promise<SessionUser> {
  const user = await getCurrentUser();
  if (user) return user;
  if (await needsSetup()) redirect("/setup");
  redirect(await loginPathBackTo());
}

/**
 * /login, with the page the user asked for as `callbackUrl` (set by proxy.ts in x-portal-path; the
 * login page accepts only a path of this site, lib/auth/callback.ts), so signing in leads back there.
 */
async function loginPathBackTo(): Promise<string> {
  const asked = (await headers()).get("x-portal-path");
  const path = asked ? safeCallbackPath(asked) : "/";
  return path === "/" || path.startsWith("/login") ? "/login" : `/login?callbackUrl=${encodeURIComponent(path)}`;
}

/**
 * For pages: a user whose role lacks the permission gets HTTP 403 and the section's forbidden.tsx
 * (e.g. "Only admins can manage users"); anonymous users go to /login. Foreign or unknown ids are
 * the data layer's business and stay 404, so nothing reveals what another organization has.
 */
export async function requirePermission(permission: Permission): Promise<SessionUser> {
  const user = await requireUser();
  if (!hasPermission(user.role, permission)) forbidden();
  return user;
}

/**
 * For server actions: like requirePermission, but what a form can show comes back instead of a
 * redirect or a 403 page (an action's caller is a form, not a page): a role denial as the sentence
 * to show (`denied`), no valid session (signed out in another tab, password reset, expired) as
 * `signedOut: true`, so the form keeps what was typed and says why nothing was saved. Only before the
 * first-run setup (no user at all) does it still redirect, to /setup.
 */
export async function requireActionPermission(
  permission: Permission,
): Promise<
  | { user: SessionUser; denied?: undefined; signedOut?: undefined }
  | { user?: undefined; denied: string; signedOut?: undefined }
  | { user?: undefined; denied?: undefined; signedOut: true }
> {
  const user = await getCurrentUser();
  if (!user) {
    if (await needsSetup()) redirect("/setup");
    return { signedOut: true };
  }
  if (!hasPermission(user.role, permission)) return { denied: PERMISSION_DENIED_MESSAGES[permission] };
  return { user };
}

/** For route handlers that answer JSON: null means "answer 401", never a redirect. */
export async function getApiUser(): Promise<SessionUser | null> {
  return getCurrentUser();
}

