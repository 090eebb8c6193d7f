import "server-only";
import type { NextAuthOptions } from "next-auth";
import CredentialsProvider from "next-auth/providers/credentials";
import { prisma } from "../db";
import { env } from "../env";
import { sessionSecret } from "../secrets";
import { writeAuditEvent } from "../audit/events";
import { currentClientAddress } from "../audit/record";
import { createSignInLimiter, describeRetryAfter } from "./attempts";
import { clientAddress, headerGetterOf } from "./client-address";
import { authenticate, revokeSession, SESSION_MAX_AGE_SECONDS } from "./sign-in";

let cached: NextAuthOptions | undefined;

/** The sign-in error the login form turns into "this account is disabled". */
export const ACCOUNT_DISABLED = "AccountDisabled";
/** Prefix of the sign-in error that carries the pause message ("Too many attempts. Try again in …"). */
export const SIGN_IN_PAUSED = "SignInPaused:";

/** Built on first use so `next build` never creates a secret file. */
export function authOptions(): NextAuthOptions {
  cached ??= buildOptions();
  return cached;
}

function buildOptions(): NextAuthOptions {
  const limiter = createSignInLimiter(prisma);
  return {
    secret: sessionSecret(),
    session: { strategy: "jwt", maxAge: SESSION_MAX_AGE_SECONDS },
    pages: { signIn: "/login" },
    providers: [
      CredentialsProvider({
        name: "E-mail and password",
        credentials: { email: { label: "E-mail", type: "email" }, password: { label: "Password", type: "password" } },
        async authorize(raw, req) {
          const header = headerGetterOf(req?.headers);
          const outcome = await authenticate(prisma, limiter, raw, {
            address: clientAddress(header, env.TRUST_PROXY),
            userAgent: header("user-agent") ?? null,
          });
          switch (outcome.kind) {
            case "ok":
              return { ...outcome.user, sid: outcome.sessionId };
            case "paused":
              throw new Error(SIGN_IN_PAUSED + describeRetryAfter(outcome.retryAfterMs));
            case "disabled":
              throw new Error(ACCOUNT_DISABLED);
            case "invalid":
              return null;
          }
        },
      }),
    ],
    callbacks: {
      jwt({ token, user }) {
        if (user) {
          token.uid = user.id;
          token.sid = (user as { sid?: string }).sid;
        }
        return token;
      },
      session({ session, token }) {
        // Only the ids (and when it was issued) travel; role, organization and whether the session is
        // still open are re-read from the database on every request (lib/auth/guards.ts).
        return {
          ...session,
          uid: token.uid as string | undefined,
          sid: token.sid as string | undefined,
          iat: token.iat as number | undefined,
        };
      },
    },
    events: {
      async signOut({ token }) {
        const sid = typeof token?.sid === "string" ? token.sid : null;
        if (!sid) return;
        const ended = await revokeSession(prisma, sid);
        if (!ended) return;
        const user = await prisma.user.findUnique({
          where: { id: ended.userId },
          select: { id: true, email: true, organizationId: true },
        });
        if (!user) return;
        await writeAuditEvent(prisma, {
          organizationId: user.organizationId,
          actorUserId: user.id,
          actorEmail: user.email,
          action: "auth.sign_out",
          targetType: "session",
          targetId: sid,
          summary: "Signed out.",
          ipAddress: await currentClientAddress(),
        });
      },
    },
  };
}
