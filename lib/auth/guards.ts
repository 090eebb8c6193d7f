import "server-only";
import { cache } from "react";
import { getServerSession } from "next-auth";
import { forbidden, redirect } from "next/navigation";
import { headers } from "next/headers";
import { safeCallbackPath } from "./callback";
import { prisma } from "../db";
import { readingDatabase } from "../database-unreachable";
import { authOptions } from "./options";
import { actionDenial, hasPermission, PASSWORD_CHANGE_REQUIRED_MESSAGE, type Permission } from "./roles";
import { loadSessionUser, type SessionClaims, type SessionUser } from "./session-user";

export type { SessionUser } from "./session-user";

/** Where a user who must choose their own password is sent, from every portal page. */
export const CHANGE_PASSWORD_PATH = "/change-password";

/** Whether the portal still needs its first-run setup (no user exists yet). */
export async function needsSetup(): Promise<boolean> {
  return (await readingDatabase(() => prisma.user.count())) === 0;
}

/**
 * The signed-in user, fresh from the database (lib/auth/session-user.ts: one query per request,
 * which also brings `mustChangePassword`), or null.
 */
export const getCurrentUser = cache(async (): Promise<SessionUser | null> => {
  const claims = (await getServerSession(authOptions())) as SessionClaims | null;
  if (!claims?.uid || !claims.sid) return null;
  return readingDatabase(() => loadSessionUser(prisma, claims));
});

/**
 * Every page calls this (or requirePermission) first: anonymous users go to /login (or /setup), and
 * a user who must still choose their own password to CHANGE_PASSWORD_PATH.
 */
export async function requireUser(): Promise<SessionUser> {
  const user = await requireSignedIn();
  if (user.mustChangePassword) redirect(CHANGE_PASSWORD_PATH);
  return user;
}

/**
 * Signed in, whether or not the password must still be changed: only for the change-password page
 * (and, through formAction's option, its action). Anonymous users go to /login (or /setup).
 */
export async function requireSignedIn(): Promise<SessionUser> {
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
 * to show (`denied`: PERMISSION_DENIED_MESSAGES), or PASSWORD_CHANGE_REQUIRED_MESSAGE while the user
 * must still choose their own password, unless `allowPendingPasswordChange` (the password change
 * itself); no valid session (signed out in another tab, password reset, expired) as
 * `signedOut: true`, so the form keeps what was typed and says why nothing was saved. Only before the
 * first-run setup (no user at all) does it still redirect, to /setup.
 */
export async function requireActionPermission(
  permission: Permission,
  { allowPendingPasswordChange = false }: { allowPendingPasswordChange?: boolean } = {},
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
  const denied = actionDenial(user, permission, { allowPendingPasswordChange });
  return denied === null ? { user } : { denied };
}

/** Why a route handler refuses: 401 without a session, 403 while the user must choose their own password. */
export type ApiRefusal = { status: 401 | 403; message: string };

/**
 * For route handlers (they answer JSON or text, never a redirect): the user, or the refusal to
 * answer with. Handlers may word their 401 themselves; the 403's message is the one to show.
 */
export async function getApiAccess(): Promise<
  { user: SessionUser; refusal?: undefined } | { user?: undefined; refusal: ApiRefusal }
> {
  const user = await getCurrentUser();
  if (!user) return { refusal: { status: 401, message: "Sign in first." } };
  if (user.mustChangePassword) return { refusal: { status: 403, message: PASSWORD_CHANGE_REQUIRED_MESSAGE } };
  return { user };
}

