import { getApiAccess } from "@/lib/auth/guards";
import { searchCustomerChoices } from "@/lib/data/customers";

export const dynamic = "force-dynamic";

/**
 * Customer choices for the phones list's customer filter (a searchable combobox):
 * `GET /api/customers/choices?q=<text>` → `{ customers: { id, name, number }[] }`, the
 * organization's customers whose name or number contains `q` (at most 20, by name; `q` cut at
 * 100 characters). 401 without a session.
 */
export async function GET(request: Request) {
  const { user, refusal } = await getApiAccess();
  if (refusal) return Response.json({ error: refusal.message }, { status: refusal.status });
  const q = new URL(request.url).searchParams.get("q") ?? "";
  const customers = await searchCustomerChoices(user, q);
  return Response.json({ customers }, { headers: { "Cache-Control": "no-store" } });
}
