export const dynamic = "force-dynamic";

/**
 * Liveness: the process is up and answers HTTP. 200 `{ status: "ok" }`; touches no database (a
 * slow database must not get a healthy process restarted). Public, no data: see lib/health.ts.
 */
export function GET() {
  return Response.json({ status: "ok" }, { headers: { "Cache-Control": "no-store" } });
}
