import NextAuth from "next-auth";
import { authOptions } from "@/lib/auth/options";

// Options are built on first request (the session secret may be generated then, never at build time).
function handler(req: Request, ctx: { params: Promise<{ nextauth: string[] }> }) {
  return NextAuth(req as never, ctx as never, authOptions());
}

export { handler as GET, handler as POST };
