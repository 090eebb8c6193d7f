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
import { authenticate, revokeSession, SESSION_MAX_AGE_SECONDS, type SignInOutcome } from "./sign-in";
import { requestLogger } from "../log-request";

/**
 * One log line per refused sign-in (with the request id; never the e-mail or the password: the
 * audit log has the e-mail for the organization's admins). Successes are in the audit log only.
 */
async function logSignInRefused(outcome: Exclude<SignInOutcome, { kind: "ok" }>, address: string): Promise<void> {
  const log = await requestLogger();
  const fields = { reason: outcome.kind, clientAddress: address };
  if (outcome.kind === "paused") log.warn({ ...fields, retryAfterMs: outcome.retryAfterMs }, "sign-in refused: too many attempts");
  else log.info(fields, `sign-in refused: ${outcome.kind === "disabled" ? "account disabled" : "wrong e-mail or password"}`);
}

/** next-auth's own messages (its configuration errors, failed callbacks) as request log lines. */
const NEXT_AUTH_LOGGER: NonNullable<NextAuthOptions["logger"]> = {
  error(code, metadata) {
    const err = metadata instanceof Error ? metadata : (metadata as { error?: unknown })?.error;
    void requestLogger().then((log) => log.error({ code, ...(err instanceof Error ? { err } : {}) }, `next-auth: ${code}`));
  },
  warn(code) {
    void requestLogger().then((log) => log.warn({ code }, `next-auth: ${code}`));
  },
  debug() {},
};

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
    logger: NEXT_AUTH_LOGGER,
    providers: [
      CredentialsProvider({
        name: "E-mail and password",
        credentials: { email: { label: "E-mail", type: "email" }, password: { label: "Password", type: "password" } },
        async authorize(raw, req) {
          const header = headerGetterOf(req?.headers);
          const address = clientAddress(header, env.TRUST_PROXY);
          const outcome = await authenticate(prisma, limiter, raw, { address, userAgent: header("user-agent") ?? null });
          if (outcome.kind !== "ok") await logSignInRefused(outcome, address);
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
