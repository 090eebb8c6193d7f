import { prisma } from "@/lib/db";

export const dynamic = "force-dynamic";

/** Liveness and database reachability, no data. */
export async function GET() {
  await prisma.user.count({ take: 1 });
  return Response.json({ ok: true });
}
