import "server-only";
import { cache } from "react";
import { getServerSession } from "next-auth";
import { notFound, redirect } from "next/navigation";
import { prisma } from "../db";
import { authOptions } from "./options";
import { hasPermission, type Permission, type Role } from "./roles";
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
  return (await prisma.user.count()) === 0;
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
  const open = await prisma.authSession.findUnique({
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
  });
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
  redirect("/login");
}

/** A user without the permission sees the same 404 as for a page that does not exist. */
export async function requirePermission(permission: Permission): Promise<SessionUser> {
  const user = await requireUser();
  if (!hasPermission(user.role, permission)) notFound();
  return user;
}

/** For route handlers that answer JSON: null means "answer 401", never a redirect. */
export async function getApiUser(): Promise<SessionUser | null> {
  return getCurrentUser();
}

