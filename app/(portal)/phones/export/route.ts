// CSV export of the phones list with its current filters (q, customer, status), every page.
import { getApiAccess } from "@/lib/auth/guards";
import { iteratePhones } from "@/lib/data/phones";
import { getOrganization } from "@/lib/data/organizations";
import { CSV_BOM, csvLine, EXPORT_HEADER, exportFileName, phoneCsvLine } from "@/lib/import/csv-export";
import { effectiveUrl } from "@/lib/sync/outbox";

export const dynamic = "force-dynamic";

const param = (sp: URLSearchParams, name: string) => {
  const v = sp.get(name)?.trim();
  return v ? v.slice(0, 200) : undefined;
};

export async function GET(request: Request): Promise<Response> {
  const { user, refusal } = await getApiAccess();
  if (refusal)
    return new Response(`${refusal.status === 401 ? "Sign in to export phones." : refusal.message}\n`, {
      status: refusal.status,
      headers: { "Content-Type": "text/plain; charset=utf-8" },
    });
  const sp = new URL(request.url).searchParams;
  // iteratePhones scopes by the user's organization: a foreign customer id simply matches nothing.
  const filter = { q: param(sp, "q"), customerId: param(sp, "customer"), status: param(sp, "status") };
  const org = await getOrganization(user);
  const separator = sp.get("sep") === "semicolon" ? ";" : ",";

  const encoder = new TextEncoder();
  const phones = iteratePhones(user, filter)[Symbol.asyncIterator]();
  let started = false;
  const stream = new ReadableStream<Uint8Array>({
    async pull(controller) {
      if (!started) {
        started = true;
        controller.enqueue(encoder.encode(CSV_BOM + csvLine(EXPORT_HEADER, separator)));
        return;
      }
      // One page of lines per pull keeps memory flat for any number of phones.
      let chunk = "";
      for (let i = 0; i < 500; i++) {
        const next = await phones.next();
        if (next.done) {
          if (chunk) controller.enqueue(encoder.encode(chunk));
          controller.close();
          return;
        }
        const p = next.value;
        chunk += phoneCsvLine(p, effectiveUrl(p.urlOverride, p.customer.urlTemplate, org.urlTemplate), separator);
      }
      controller.enqueue(encoder.encode(chunk));
    },
    async cancel() {
      await phones.return?.(undefined);
    },
  });
  return new Response(stream, {
    headers: {
      "Content-Type": "text/csv; charset=utf-8",
      "Content-Disposition": `attachment; filename="${exportFileName()}"`,
      "Cache-Control": "no-store",
      "X-Content-Type-Options": "nosniff",
    },
  });
}
