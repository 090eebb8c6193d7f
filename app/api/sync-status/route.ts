import { getApiAccess } from "@/lib/auth/guards";
import { getSyncOverview } from "@/lib/data/sync-overview";

export const dynamic = "force-dynamic";

/**
 * The signed-in user's organization's sync version, polled by every open portal page
 * (components/layout/live-refresh.tsx) while anything is in progress: `{ version, inProgress,
 * circuitOpen }`, with the version as ETag (If-None-Match -> 304 without a body).
 */
export async function GET(req: Request) {
  const { user, refusal } = await getApiAccess();
  if (refusal) return Response.json({ error: refusal.message }, { status: refusal.status });
  const overview = await getSyncOverview(user);
  const etag = `"${overview.version}"`;
  const headers = { "Cache-Control": "no-store", ETag: etag };
  if (req.headers.get("if-none-match") === etag) return new Response(null, { status: 304, headers });
  return Response.json(
    { version: overview.version, inProgress: overview.inProgress, circuitOpen: overview.circuit !== null },
    { headers },
  );
}
