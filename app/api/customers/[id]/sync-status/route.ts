import { createHash } from "node:crypto";
import { z } from "zod";
import { getApiAccess } from "@/lib/auth/guards";
import { getCustomer } from "@/lib/data/customers";
import { countPhonesByStatus } from "@/lib/data/phones";
import { IN_PROGRESS_STATUSES } from "@/lib/sync/status";

export const dynamic = "force-dynamic";

/** An import's id as commitImport makes it (randomUUID): anything else is refused before any query. */
const BatchSchema = z.uuid();

/**
 * Sync counts of one customer's phones, polled by the progress bars: `{ counts, total, inFlight }`.
 * With `?batch=<import id>` (the `batchId` an "Add" answered) only the phones that import created or
 * moved here are counted: the paste page shows the progress of what was just pasted. Scoped by the
 * session's organization and the customer; an unknown batch is 404 like a foreign customer. The
 * counts' digest is the ETag (If-None-Match -> 304 without a body), as on /api/sync-status.
 */
export async function GET(req: Request, ctx: { params: Promise<{ id: string }> }) {
  const { user, refusal } = await getApiAccess();
  if (refusal) return Response.json({ error: refusal.message }, { status: refusal.status });
  const { id } = await ctx.params;
  const batchParam = new URL(req.url).searchParams.get("batch");
  const batch = batchParam === null ? null : BatchSchema.safeParse(batchParam);
  if (batch && !batch.success) {
    return Response.json({ error: "The batch must be the id of an import (a UUID)." }, { status: 400 });
  }
  const customer = await getCustomer(user, id);
  if (!customer) return Response.json({ error: "Not found." }, { status: 404 });
  const counts = await countPhonesByStatus(user, id, batch?.data);
  const total = Object.values(counts).reduce((a, b) => a + b, 0);
  if (batch && total === 0) {
    return Response.json({ error: "No phone of this customer belongs to that import." }, { status: 404 });
  }
  const inFlight = IN_PROGRESS_STATUSES.reduce((n, s) => n + counts[s], 0);
  const body = JSON.stringify({ counts, total, inFlight });
  const etag = `"${createHash("sha256").update(body).digest("base64url").slice(0, 22)}"`;
  const headers = { "Cache-Control": "no-store", ETag: etag, "Content-Type": "application/json" };
  if (req.headers.get("if-none-match") === etag) return new Response(null, { status: 304, headers });
  return new Response(body, { headers });
}
