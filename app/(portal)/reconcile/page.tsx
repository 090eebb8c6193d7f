import Link from "next/link";
import { requirePermission } from "@/lib/auth/guards";
import { getReconcileOverview, REPORT_ROWS_PER_CATEGORY } from "@/lib/data/reconcile";
import {
  countByCategory,
  FIXES_BY_CATEGORY,
  IMPORT_CATEGORY_LABELS,
  RECONCILE_CATEGORY_LABELS,
  RECONCILE_FIX_LABELS,
  type ReconcileCategory,
  type ReconcileEntry,
  type ReconcileRunView,
} from "@/lib/reconcile/types";
import { Alert, Card, PageHeader } from "@/components/ui/card";
import { InputField } from "@/components/ui/field";
import { LocalTime } from "@/components/ui/local-time";
import { Table, Td, Th } from "@/components/ui/table";
import { ActionForm } from "@/components/provisioning/action-form";
import { RunProgress } from "@/components/reconcile/run-progress";
import { reconcileFixAction, reconcileScheduleAction, startScanAction } from "./actions";
import { countOf } from "@/lib/format";

export const metadata = { title: "Reconcile with the service" };

const selectClass = "block w-full rounded-md border border-slate-300 bg-white px-3 py-2 text-sm";
const REPORT_ORDER: ReconcileCategory[] = ["drift", "missing", "orphan", "owned_elsewhere", "error", "in_sync"];
const IMPORT_ORDER: ReconcileCategory[] = ["orphan", "drift", "in_sync", "error"];

export default async function ReconcilePage() {
  const user = await requirePermission("org:manage");
  const overview = await getReconcileOverview(user);
  return (
    <>
      <PageHeader title="Reconcile with the redirection service" />
      <p className="mb-6 max-w-3xl text-sm text-slate-600">
        Compare what the organization&apos;s account at the redirection service holds with the portal: take over phones
        registered before the portal, and find registrations that drifted. Reading changes nothing; every fix is
        recorded in the phone&apos;s history and the audit log. Provisioning server moved?{" "}
        <Link className="text-sky-700 hover:underline" href="/reconcile/repoint">
          Re-point phones
        </Link>{" "}
        to a new URL in bulk.
      </p>
      <div className="space-y-6">
        <Card>
          <h2 className="mb-2 font-semibold">Import from the service</h2>
          <p className="mb-3 text-sm text-slate-600">
            Lists the account&apos;s phones model by model and asks for each one&apos;s URL. Nothing is written until
            you import.
          </p>
          <ActionForm
            action={startScanAction}
            hidden={{ kind: "import" }}
            submit="Read the account"
            variant="secondary"
          />
          <RunSection run={overview.importRun} mode="import" customers={overview.customers} />
        </Card>
        <Card>
          <h2 className="mb-2 font-semibold">Reconcile</h2>
          <p className="mb-3 text-sm text-slate-600">
            {overview.isSandbox
              ? "The built-in sandbox only holds what the portal registered, so it is not reconciled on a schedule; you can still run one."
              : overview.everyHours > 0
                ? `Runs on its own every ${overview.everyHours} hours.`
                : "Scheduled reconcile is off."}{" "}
            {overview.lastAt ? (
              <>
                Last run <LocalTime date={overview.lastAt} />.
              </>
            ) : null}
          </p>
          <div className="flex flex-wrap items-end gap-6">
            <ActionForm action={startScanAction} hidden={{ kind: "reconcile" }} submit="Reconcile now" />
            <ActionForm
              action={reconcileScheduleAction}
              submit="Save schedule"
              variant="secondary"
              className="flex items-end gap-2"
              fieldLabels={{ everyHours: "Every (hours)" }}
            >
              <InputField
                label="Every (hours, 0 = off)"
                name="everyHours"
                type="number"
                min={0}
                max={720}
                defaultValue={String(overview.everyHours)}
              />
            </ActionForm>
          </div>
          <RunSection run={overview.reconcileRun} mode="reconcile" customers={overview.customers} />
        </Card>
      </div>
    </>
  );
}

function RunSection({
  run,
  mode,
  customers,
}: {
  run: ReconcileRunView | null;
  mode: "import" | "reconcile";
  customers: { id: string; name: string; number: string }[];
}) {
  if (!run) return null;
  if (run.status === "running") {
    return (
      <div className="mt-4">
        <RunProgress
          done={run.done}
          total={run.total}
          label={mode === "import" ? "Reading the account" : "Reconciling"}
        />
      </div>
    );
  }
  if (run.status === "failed") {
    return (
      <div className="mt-4">
        <Alert tone="error">{run.error ?? "The scan failed."}</Alert>
      </div>
    );
  }
  const entries = mode === "import" ? run.entries.filter((e) => e.category in IMPORT_CATEGORY_LABELS) : run.entries;
  const counts = countByCategory(entries);
  const order = mode === "import" ? IMPORT_ORDER : REPORT_ORDER;
  const labelOf = (c: ReconcileCategory) =>
    (mode === "import" ? IMPORT_CATEGORY_LABELS[c] : undefined) ?? RECONCILE_CATEGORY_LABELS[c];
  return (
    <div className="mt-4 space-y-4" data-testid={`${mode}-report`}>
      <p className="text-sm text-slate-600">
        {mode === "import" ? "Read" : "Reconciled"} <LocalTime date={run.finishedAt ?? run.startedAt} />:{" "}
        {countOf(entries.length, "phone")}, {countOf(run.done, "call")}.
      </p>
      {run.error && <Alert tone="error">{run.error}</Alert>}
      <ul className="flex flex-wrap gap-3 text-sm" aria-label="Counts">
        {order.map((c) => (
          <li key={c} className="rounded-md bg-slate-100 px-3 py-1">
            {labelOf(c)}: <strong>{counts[c]}</strong>
          </li>
        ))}
      </ul>
      {order
        .filter((c) => counts[c] > 0 && (c !== "in_sync" || mode === "import"))
        .map((c) => (
          <CategoryTable
            key={c}
            run={run}
            category={c}
            label={labelOf(c)}
            entries={entries.filter((e) => e.category === c)}
            customers={customers}
          />
        ))}
    </div>
  );
}

function CategoryTable({
  run,
  category,
  label,
  entries,
  customers,
}: {
  run: ReconcileRunView;
  category: ReconcileCategory;
  label: string;
  entries: ReconcileEntry[];
  customers: { id: string; name: string; number: string }[];
}) {
  const fixes = FIXES_BY_CATEGORY[category];
  const open = entries.filter((e) => !e.fixed);
  return (
    <section aria-label={label}>
      <h3 className="mb-2 font-medium">
        {label} ({entries.length})
      </h3>
      {fixes.length > 0 && open.length > 0 && (
        <div className="mb-2 flex flex-wrap items-end gap-2">
          {fixes.map((fix) =>
            fix === "import" ? (
              <ActionForm
                key={fix}
                action={reconcileFixAction}
                hidden={{ runId: run.id, fix, category }}
                submit={`Import all ${open.length}`}
                className="flex items-end gap-2"
              >
                <label className="text-sm">
                  <span className="mb-1 block text-slate-700">Into customer</span>
                  <select name="customerId" className={selectClass} defaultValue="">
                    <option value="">Unassigned</option>
                    {customers.map((c) => (
                      <option key={c.id} value={c.id}>
                        {c.name} ({c.number})
                      </option>
                    ))}
                  </select>
                </label>
              </ActionForm>
            ) : (
              <ActionForm
                key={fix}
                action={reconcileFixAction}
                hidden={{ runId: run.id, fix, category }}
                submit={`${RECONCILE_FIX_LABELS[fix]}: all ${open.length}`}
                variant={fix === "deregister" ? "danger" : "secondary"}
                confirm={
                  fix === "deregister"
                    ? `Deregister ${open.length === 1 ? "this MAC" : `all ${open.length} MACs`} at the redirection service? Phones that boot afterwards are no longer redirected.`
                    : `${RECONCILE_FIX_LABELS[fix]} for all ${open.length}?`
                }
              />
            ),
          )}
        </div>
      )}
      <Table>
        <thead>
          <tr>
            <Th>MAC</Th>
            <Th>Customer</Th>
            <Th>Portal URL</Th>
            <Th>Service URL</Th>
            {category === "owned_elsewhere" && <Th>Owner</Th>}
            {category === "error" && <Th>Why</Th>}
            {fixes.length > 0 && <Th>Fix</Th>}
          </tr>
        </thead>
        <tbody>
          {entries.slice(0, REPORT_ROWS_PER_CATEGORY_UI).map((e) => (
            <tr key={e.mac} data-mac={e.mac}>
              <Td className="font-mono">{e.mac}</Td>
              <Td>{e.customerName ?? "–"}</Td>
              <Td className="font-mono text-xs break-all">{e.expectedUrl ?? "–"}</Td>
              <Td className="font-mono text-xs break-all">{e.serviceUrl ?? "–"}</Td>
              {category === "owned_elsewhere" && <Td>{e.ownerCompany ?? "unknown"}</Td>}
              {category === "error" && <Td>{e.error}</Td>}
              {fixes.length > 0 && (
                <Td>
                  {e.fixed ? (
                    <span className="text-sm text-slate-600">{fixedLabel(e.fixed)}</span>
                  ) : (
                    <div className="flex flex-wrap gap-1">
                      {fixes.map((fix) => (
                        <ActionForm
                          key={fix}
                          action={reconcileFixAction}
                          hidden={{ runId: run.id, fix, mac: e.mac }}
                          submit={RECONCILE_FIX_LABELS[fix]}
                          variant={fix === "deregister" ? "danger" : "secondary"}
                          confirm={fix === "deregister" ? `Deregister ${e.mac} at the redirection service?` : undefined}
                          className="inline"
                        />
                      ))}
                    </div>
                  )}
                </Td>
              )}
            </tr>
          ))}
        </tbody>
      </Table>
      {entries.length > REPORT_ROWS_PER_CATEGORY_UI && (
        <p className="mt-1 text-xs text-slate-500">
          First {REPORT_ROWS_PER_CATEGORY_UI} of {entries.length} shown; the group buttons act on all of them.
        </p>
      )}
    </section>
  );
}

const REPORT_ROWS_PER_CATEGORY_UI = REPORT_ROWS_PER_CATEGORY;

function fixedLabel(fixed: string): string {
  const [fix, outcome] = fixed.split(":");
  const name = RECONCILE_FIX_LABELS[fix as keyof typeof RECONCILE_FIX_LABELS] ?? fix;
  return outcome === "ok" || outcome === "no_such_mac" ? `${name}: done` : `${name}: ${outcome}`;
}
