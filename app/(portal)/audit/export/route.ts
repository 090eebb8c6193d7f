// CSV export of the audit log with the page's current filters, every page; admins only.
import { getApiAccess } from "@/lib/auth/guards";
import { hasPermission, PERMISSION_DENIED_MESSAGES } from "@/lib/auth/roles";
import { iterateAuditEvents, parseAuditFilter } from "@/lib/data/audit";
import { AUDIT_CSV_HEADER, auditCsvLine, auditExportFileName } from "@/lib/audit/csv";
import { CSV_BOM, csvLine } from "@/lib/import/csv-export";

export const dynamic = "force-dynamic";

const text = (body: string, status: number) =>
  new Response(body, { status, headers: { "Content-Type": "text/plain; charset=utf-8" } });

export async function GET(request: Request): Promise<Response> {
  const { user, refusal } = await getApiAccess();
  if (refusal) return text(`${refusal.status === 401 ? "Sign in to export the audit log." : refusal.message}\n`, refusal.status);
  // A role denial is a 403 with the sentence the page shows (lib/auth/roles.ts).
  if (!hasPermission(user.role, "audit:read")) return text(`${PERMISSION_DENIED_MESSAGES["audit:read"]}\n`, 403);
  const sp = new URL(request.url).searchParams;
  const { filter, errors } = parseAuditFilter(Object.fromEntries(sp));
  const firstError = Object.entries(errors)[0];
  if (firstError) return text(`Filter "${firstError[0]}": ${firstError[1]}\n`, 400);
  const separator = sp.get("sep") === "semicolon" ? ";" : ",";

  const encoder = new TextEncoder();
  const events = iterateAuditEvents(user, filter)[Symbol.asyncIterator]();
  let started = false;
  const stream = new ReadableStream<Uint8Array>({
    async pull(controller) {
      if (!started) {
        started = true;
        controller.enqueue(encoder.encode(CSV_BOM + csvLine(AUDIT_CSV_HEADER, separator)));
        return;
      }
      let chunk = "";
      for (let i = 0; i < 500; i++) {
        const next = await events.next();
        if (next.done) {
          if (chunk) controller.enqueue(encoder.encode(chunk));
          controller.close();
          return;
        }
        chunk += auditCsvLine(next.value, separator);
      }
      controller.enqueue(encoder.encode(chunk));
    },
    async cancel() {
      await events.return?.(undefined);
    },
  });
  return new Response(stream, {
    headers: {
      "Content-Type": "text/csv; charset=utf-8",
      "Content-Disposition": `attachment; filename="${auditExportFileName()}"`,
      "Cache-Control": "no-store",
      "X-Content-Type-Options": "nosniff",
    },
  });
}
