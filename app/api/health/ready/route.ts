import { prisma } from "@/lib/db";
import { checkReadiness, reportReadiness } from "@/lib/health";

export const dynamic = "force-dynamic";

/**
 * Readiness (lib/health.ts): 200 `{ status: "ready" }` when the database answers within 2 s, no
 * migration is pending and the process is not shutting down; else 503 `{ status: "unavailable",
 * reason }` with reason one of shutting_down, database_unreachable, database_timeout,
 * migrations_pending. Public (load balancers poll it), nothing beyond those words.
 * `GET /api/health` is the same answer (an alias kept for monitors set up before /ready existed).
 */
export async function GET() {
  const readiness = await checkReadiness(prisma);
  // The first 503 with its cause, then one line per 30 s with the count, one when ready again.
  reportReadiness(readiness);
  const headers = { "Cache-Control": "no-store" };
  if (readiness.ready) return Response.json({ status: "ready" }, { headers });
  return Response.json({ status: "unavailable", reason: readiness.reason }, { status: 503, headers });
}
