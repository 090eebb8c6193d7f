import Link from "next/link";
import { requirePermission } from "@/lib/auth/guards";
import { getRepointView, REPOINT_ROWS_SHOWN } from "@/lib/data/reconcile";
import { checkProvisioningUrl, trimUrlInput } from "@/lib/urls";
import { SYNC_STATUS_LABELS, SYNC_STATUSES, type SyncStatus } from "@/lib/sync/status";
import { Alert, Card, PageHeader } from "@/components/ui/card";
import { Button } from "@/components/ui/button";
import { Table, Td, Th } from "@/components/ui/table";
import { ActionForm } from "@/components/provisioning/action-form";
import { RunProgress } from "@/components/reconcile/run-progress";
import { repointAction, rollbackRepointAction } from "../actions";
import { countOf } from "@/lib/format";

export const metadata = { title: "Re-point phones" };

const controlClass = "block w-full rounded-md border border-slate-300 bg-white px-3 py-2 text-sm";

export default async function RepointPage({
  searchParams,
}: {
  searchParams: Promise<{ template?: string; customer?: string; status?: string; run?: string }>;
}) {
  const user = await requirePermission("org:manage");
  const sp = await searchParams;
  const typed = typeof sp.template === "string" ? trimUrlInput(sp.template).slice(0, 500) : "";
  const check = typed ? checkProvisioningUrl(typed) : null;
  const customerId = typeof sp.customer === "string" && sp.customer ? sp.customer.slice(0, 64) : null;
  const status = SYNC_STATUSES.includes(sp.status as SyncStatus) ? (sp.status as SyncStatus) : null;
  const view = await getRepointView(user, {
    template: check?.ok ? typed : null,
    scope: { customerId, status },
    runId: typeof sp.run === "string" ? sp.run.slice(0, 64) : null,
  });
  const progress = view.progress;
  const inFlight = progress ? (progress.byStatus.pending ?? 0) + (progress.byStatus.syncing ?? 0) : 0;
  return (
    <>
      <PageHeader title="Re-point phones to a new URL" />
      <p className="mb-6 max-w-3xl text-sm text-slate-600">
        When the provisioning server moves: choose the phones (one customer, one status, or all), type the new URL
        template, check the dry run, then re-point. Each phone keeps the new URL as its own, goes through the queue, and
        the run can be rolled back to the previous URLs in one action.{" "}
        <Link className="text-sky-700 hover:underline" href="/reconcile">
          Back to reconcile
        </Link>
      </p>
      {progress && (
        <Card className="mb-6" aria-label="Re-point run">
          <h2 className="mb-2 font-semibold">Re-point run</h2>
          {progress.status === "rolled_back" && (
            <Alert tone="info">Rolled back: the phones went back to their previous URLs.</Alert>
          )}
          {inFlight > 0 && <RunProgress done={progress.total - inFlight} total={progress.total} label="Re-pointing" />}
          <ul className="my-3 flex flex-wrap gap-3 text-sm" aria-label="Results">
            {Object.entries(progress.byStatus).map(([s, n]) => (
              <li key={s} className="rounded-md bg-slate-100 px-3 py-1">
                {SYNC_STATUS_LABELS[s as SyncStatus] ?? s}: <strong>{n}</strong>
              </li>
            ))}
          </ul>
          {progress.status === "applied" && (
            <ActionForm
              action={rollbackRepointAction}
              hidden={{ runId: progress.runId }}
              submit="Roll back to the previous URLs"
              variant="danger"
              confirm="Put every phone of this run back on its previous URL (re-registered at the redirection service)?"
            />
          )}
          <PhoneTable
            rows={progress.phones
              .slice(0, REPOINT_ROWS_SHOWN)
              .map((p) => ({
                ...p,
                result: SYNC_STATUS_LABELS[p.syncStatus as SyncStatus] ?? p.syncStatus,
                error: p.lastErrorText,
              }))}
          />
        </Card>
      )}
      <Card>
        <h2 className="mb-2 font-semibold">Dry run</h2>
        <form method="get" className="grid gap-3 md:grid-cols-[2fr_1fr_1fr_auto] md:items-end">
          <label className="text-sm">
            <span className="mb-1 block text-slate-700">New URL template</span>
            <input
              name="template"
              defaultValue={typed}
              className={controlClass}
              placeholder="https://prov.example.net/snom/{mac}.xml"
              aria-invalid={check && !check.ok ? true : undefined}
            />
          </label>
          <label className="text-sm">
            <span className="mb-1 block text-slate-700">Customer</span>
            <select name="customer" defaultValue={customerId ?? ""} className={controlClass}>
              <option value="">All customers</option>
              {view.customers.map((c) => (
                <option key={c.id} value={c.id}>
                  {c.name} ({c.number})
                </option>
              ))}
            </select>
          </label>
          <label className="text-sm">
            <span className="mb-1 block text-slate-700">Status</span>
            <select name="status" defaultValue={status ?? ""} className={controlClass}>
              <option value="">Any status</option>
              {SYNC_STATUSES.map((s) => (
                <option key={s} value={s}>
                  {SYNC_STATUS_LABELS[s]}
                </option>
              ))}
            </select>
          </label>
          <Button type="submit" variant="secondary">
            Dry run
          </Button>
        </form>
        {check && !check.ok && (
          <Alert tone="error" className="mt-3">
            New URL template: {check.message}
          </Alert>
        )}
        {view.planError && (
          <Alert tone="error" className="mt-3">
            {view.planError}
          </Alert>
        )}
        {view.plan && (
          <div className="mt-4 space-y-3" data-testid="repoint-plan">
            <p className="text-sm">
              {countOf(view.plan.items.length, "phone")} selected: <strong>{countOf(view.plan.changed, "change")}</strong>,{" "}
              {view.plan.unchanged} already {view.plan.unchanged === 1 ? "uses" : "use"} this URL.
            </p>
            {view.plan.changed > 0 && (
              <ActionForm
                action={repointAction}
                hidden={{ template: typed, customerId: customerId ?? "", status: status ?? "" }}
                submit={`Re-point ${countOf(view.plan.changed, "phone")}`}
                confirm={`Re-point ${countOf(view.plan.changed, "phone")} to ${typed}? Each is re-registered at the redirection service.`}
              />
            )}
            <PhoneTable
              rows={view.plan.shown.map((p) => ({
                ...p,
                result: p.oldUrl === p.newUrl ? "unchanged" : "changes",
                error: null,
              }))}
            />
          </div>
        )}
      </Card>
    </>
  );
}

function PhoneTable({
  rows,
}: {
  rows: { mac: string; oldUrl: string | null; newUrl: string; result: string; error: string | null }[];
}) {
  return (
    <Table>
      <thead>
        <tr>
          <Th>MAC</Th>
          <Th>Old URL</Th>
          <Th>New URL</Th>
          <Th>Result</Th>
        </tr>
      </thead>
      <tbody>
        {rows.map((r) => (
          <tr key={r.mac} data-mac={r.mac}>
            <Td className="font-mono">{r.mac}</Td>
            <Td className="font-mono text-xs break-all">{r.oldUrl ?? "none"}</Td>
            <Td className="font-mono text-xs break-all">{r.newUrl}</Td>
            <Td>
              {r.result}
              {r.error && <span className="block text-xs text-red-800">{r.error}</span>}
            </Td>
          </tr>
        ))}
      </tbody>
    </Table>
  );
}
