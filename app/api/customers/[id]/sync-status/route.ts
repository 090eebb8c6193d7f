import { getApiAccess } from "@/lib/auth/guards";
import { getCustomer } from "@/lib/data/customers";
import { countPhonesByStatus } from "@/lib/data/phones";
import { IN_PROGRESS_STATUSES } from "@/lib/sync/status";

export const dynamic = "force-dynamic";

/** Sync counts of one customer's phones, polled by the progress bar on the customer's page. */
export async function GET(_req: Request, ctx: { params: Promise<{ id: string }> }) {
  const { user, refusal } = await getApiAccess();
  if (refusal) return Response.json({ error: refusal.message }, { status: refusal.status });
  const { id } = await ctx.params;
  const customer = await getCustomer(user, id);
  if (!customer) return Response.json({ error: "Not found." }, { status: 404 });
  const counts = await countPhonesByStatus(user, id);
  const total = Object.values(counts).reduce((a, b) => a + b, 0);
  const inFlight = IN_PROGRESS_STATUSES.reduce((n, s) => n + counts[s], 0);
  return Response.json({ counts, total, inFlight }, { headers: { "Cache-Control": "no-store" } });
}
