import "server-only";
import type { NextAuthOptions } from "next-auth";
import CredentialsProvider from "next-auth/providers/credentials";
import { z } from "zod";
import { prisma } from "../db";
import { sessionSecret } from "../secrets";
import { verifyAgainstDummy, verifyPassword } from "./password";
import { signInLimiter } from "./attempts";

const CredentialsSchema = z.object({
  email: z.string().trim().toLowerCase().email(),
  password: z.string().min(1).max(200),
});

let cached: NextAuthOptions | undefined;

/** The sign-in error the login form turns into "this account is disabled". */
export const ACCOUNT_DISABLED = "AccountDisabled";

/** Built on first use so `next build` never creates a secret file. */
export function authOptions(): NextAuthOptions {
  cached ??= {
    secret: sessionSecret(),
    session: { strategy: "jwt", maxAge: 12 * 60 * 60 },
    pages: { signIn: "/login" },
    providers: [
      CredentialsProvider({
        name: "E-mail and password",
        credentials: { email: { label: "E-mail", type: "email" }, password: { label: "Password", type: "password" } },
        async authorize(raw) {
          const parsed = CredentialsSchema.safeParse(raw);
          if (!parsed.success) return null;
          const key = parsed.data.email;
          if (signInLimiter.isBlocked(key)) return null;
          const user = await prisma.user.findUnique({
            where: { email: parsed.data.email },
            select: { id: true, name: true, email: true, passwordHash: true, disabled: true },
          });
          const ok = user
            ? await verifyPassword(parsed.data.password, user.passwordHash)
            : await verifyAgainstDummy(parsed.data.password);
          if (!user || !ok) {
            signInLimiter.recordFailure(key);
            return null;
          }
          // Only with the right password: says nothing about accounts to someone guessing.
          if (user.disabled) throw new Error(ACCOUNT_DISABLED);
          signInLimiter.recordSuccess(key);
          return { id: user.id, name: user.name, email: user.email };
        },
      }),
    ],
    callbacks: {
      jwt({ token, user }) {
        if (user) token.uid = user.id;
        return token;
      },
      session({ session, token }) {
        // Only the id (and when it was issued) travels; role, organization and whether the session is
        // still valid are re-read from the database on every request.
        return { ...session, uid: token.uid as string | undefined, iat: token.iat as number | undefined };
      },
    },
  };
  return cached;
}
