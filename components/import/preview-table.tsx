"use client";
import { useMemo, useState } from "react";
import type { RowVerdict, VerdictStatus } from "@/lib/import/classify";
import { formatMac } from "@/lib/mac";
import { VERDICT_LABELS, type ImportView, type SnomCheck } from "@/lib/import/view";
import { inputClass } from "@/components/ui/field";
import { Table, Td, Th } from "@/components/ui/table";
import { cn } from "@/lib/utils";

const TONES: Record<VerdictStatus, string> = {
  ok: "bg-emerald-100 text-emerald-900 ring-emerald-300",
  invalid: "bg-red-100 text-red-900 ring-red-300",
  duplicate: "bg-amber-100 text-amber-900 ring-amber-300",
  exists: "bg-slate-100 text-slate-800 ring-slate-300",
  unknown_customer: "bg-red-100 text-red-900 ring-red-300",
};
const MARKS: Record<VerdictStatus, string> = {
  ok: "✓",
  invalid: "✕",
  duplicate: "=",
  exists: "•",
  unknown_customer: "?",
};

/** Text and colour, never colour alone. */
export function VerdictBadge({ status, label }: { status: VerdictStatus; label?: string }) {
  return (
    <span
      className={cn(
        "inline-flex items-center gap-1 rounded-full px-2 py-0.5 text-xs font-medium whitespace-nowrap ring-1",
        TONES[status],
      )}
    >
      <span aria-hidden>{MARKS[status]}</span>
      {label ?? VERDICT_LABELS[status]}
    </span>
  );
}

/** An OK row whose MAC "Check with snom" found owned by another account: it needs attention. */
export function isOwnedElsewhere(row: RowVerdict, snom: Record<string, SnomCheck> | undefined): boolean {
  return row.status === "ok" && snom?.[row.mac]?.verdict === "owned_by_other_user";
}

/** Counts per verdict; announced when a check finishes. */
export function VerdictCounts({
  counts,
  ownedElsewhere = 0,
  atOtherCustomer = 0,
}: {
  counts: ImportView["counts"];
  ownedElsewhere?: number;
  /** Of `counts.exists`, the MACs that belong to another customer (they can be moved here). */
  atOtherCustomer?: number;
}) {
  const items: [VerdictStatus, number][] = [
    ["ok", counts.ok - ownedElsewhere],
    ["invalid", counts.invalid],
    ["duplicate", counts.duplicate],
    ["exists", counts.exists - atOtherCustomer],
    ["unknown_customer", counts.unknown_customer],
  ];
  return (
    <div
      role="status"
      aria-live="polite"
      aria-label="Check result"
      className="flex flex-wrap items-center gap-2 text-sm"
    >
      <span className="font-medium text-slate-800">{counts.total} checked:</span>
      {items
        .filter(([status, n]) => n > 0 || status === "ok")
        .map(([status, n]) => (
          <VerdictBadge key={status} status={status} label={`${n} ${VERDICT_LABELS[status].toLowerCase()}`} />
        ))}
      {counts.notSnom > 0 && (
        <span className="rounded-full bg-amber-50 px-2 py-0.5 text-xs font-medium text-amber-900 ring-1 ring-amber-300">
          ⚠ {counts.notSnom} not snom
        </span>
      )}
      {atOtherCustomer > 0 && (
        <VerdictBadge status="exists" label={`${atOtherCustomer} at another customer`} />
      )}
      {ownedElsewhere > 0 && (
        <span className="rounded-full bg-purple-100 px-2 py-0.5 text-xs font-medium text-purple-900 ring-1 ring-purple-300">
          ⚠ {ownedElsewhere} owned by another account
        </span>
      )}
    </div>
  );
}

type Filter = "all" | "problems" | "ok";
const PAGE = 500;

export type PreviewTableProps = {
  rows: RowVerdict[];
  snom?: Record<string, SnomCheck>;
  /** Customer names by id (file import: rows go to several customers). */
  customerNames?: Record<string, string>;
  /** Paste: the current text of each line, and how to change it (correct in place). */
  lineText?: (line: number) => string;
  onEditLine?: (line: number, value: string) => void;
  editDisabled?: boolean;
  moves: Set<string>;
  onToggleMove: (mac: string, on: boolean) => void;
  /** "Move here" (paste) or "Move to its customer" (file). */
  moveLabel: (row: Extract<RowVerdict, { status: "exists" }>) => string;
};

export function PreviewTable(props: PreviewTableProps) {
  const { rows, snom, customerNames, lineText, onEditLine, editDisabled, moves, onToggleMove, moveLabel } = props;
  const [filter, setFilter] = useState<Filter>("all");
  const [limit, setLimit] = useState(PAGE);
  const shown = useMemo(
    () =>
      rows.filter((r) =>
        filter === "all"
          ? true
          : filter === "ok"
            ? r.status === "ok" && !isOwnedElsewhere(r, snom)
            : r.status !== "ok" || !r.isSnom || isOwnedElsewhere(r, snom),
      ),
    [rows, filter, snom],
  );
  // Several rows can share a line (comma-separated MACs): the correction field edits the line once.
  const firstRowOfLine = useMemo(() => {
    const seen = new Set<number>();
    return rows.map((r) => (seen.has(r.line) ? false : (seen.add(r.line), true)));
  }, [rows]);
  const indexOf = useMemo(() => new Map(rows.map((r, i) => [r, i])), [rows]);

  return (
    <div className="space-y-2">
      <div className="flex flex-wrap items-end gap-3">
        <div>
          <label htmlFor="preview-filter" className="mb-1 block text-sm font-medium text-slate-800">
            Show
          </label>
          <select
            id="preview-filter"
            value={filter}
            onChange={(e) => {
              setFilter(e.target.value as Filter);
              setLimit(PAGE);
            }}
            className={inputClass}
          >
            <option value="all">All lines ({rows.length})</option>
            <option value="problems">Lines that need attention</option>
            <option value="ok">OK lines</option>
          </select>
        </div>
      </div>
      {/* On a phone each line is a small card (line, MAC and verdict on top, the details below them):
          a five-column table would push the reasons and the "Move here"/"Correct line" controls off-screen. */}
      <Table aria-label="Checked lines" className="max-sm:block">
        <thead className="max-sm:sr-only">
          <tr>
            <Th className="w-16">Line</Th>
            <Th>MAC</Th>
            <Th>Verdict</Th>
            {customerNames && <Th>Customer</Th>}
            <Th>Details</Th>
          </tr>
        </thead>
        <tbody className="divide-y divide-slate-100 max-sm:block">
          {shown.slice(0, limit).map((row) => {
            const key = `${row.line}-${indexOf.get(row)}`;
            const snomCheck = "mac" in row ? snom?.[row.mac] : undefined;
            const owned = isOwnedElsewhere(row, snom);
            const canEdit =
              onEditLine &&
              lineText &&
              (row.status === "invalid" || row.status === "duplicate") &&
              firstRowOfLine[indexOf.get(row) ?? 0];
            return (
              <tr
                key={key}
                data-verdict={owned ? "owned_elsewhere" : row.status}
                className={cn(
                  "max-sm:flex max-sm:flex-wrap max-sm:items-baseline max-sm:px-2 max-sm:py-2",
                  row.status === "ok" && !owned ? undefined : "bg-slate-50/60",
                )}
              >
                <Td className="font-mono text-slate-500 max-sm:px-2 max-sm:py-0">
                  <span className="sm:hidden">Line </span>
                  {row.line}
                </Td>
                <Td className="font-mono max-sm:px-2 max-sm:py-0">
                  {row.status === "invalid" ? (
                    <span className="break-all text-red-800">{row.input || "(empty)"}</span>
                  ) : (
                    // The same normalised form the phone lists show.
                    <span title={formatMac(row.mac)}>{row.mac}</span>
                  )}
                </Td>
                <Td className="max-sm:px-2 max-sm:py-0">
                  <div className="flex flex-wrap gap-1">
                    {owned ? (
                      <span className="inline-flex items-center gap-1 rounded-full bg-purple-100 px-2 py-0.5 text-xs font-medium whitespace-nowrap text-purple-900 ring-1 ring-purple-300">
                        <span aria-hidden>!</span>Owned elsewhere
                      </span>
                    ) : (
                      <VerdictBadge status={row.status} label={row.status === "exists" && row.canMove ? "At another customer" : undefined} />
                    )}
                    {row.status === "ok" && !row.isSnom && (
                      <span className="rounded-full bg-amber-50 px-2 py-0.5 text-xs font-medium text-amber-900 ring-1 ring-amber-300">
                        ⚠ not snom
                      </span>
                    )}
                    {snomCheck && <SnomBadge check={snomCheck} />}
                  </div>
                </Td>
                {customerNames && (
                  <Td className="max-sm:px-2 max-sm:py-0">
                    {row.status === "ok" ? (
                      (customerNames[row.customerId] ?? "")
                    ) : row.status === "unknown_customer" ? (
                      <span className="text-red-800">{row.customer || "—"}</span>
                    ) : (
                      ""
                    )}
                  </Td>
                )}
                <Td className="space-y-1 text-sm max-sm:basis-full max-sm:px-2 max-sm:pt-1 max-sm:pb-0">
                  <RowDetails row={row} />
                  {row.status === "exists" && row.canMove && (
                    <label className="flex items-center gap-2">
                      <input
                        type="checkbox"
                        name="move"
                        value={row.mac}
                        checked={moves.has(row.mac)}
                        onChange={(e) => onToggleMove(row.mac, e.target.checked)}
                        className="size-4"
                      />
                      {moveLabel(row)}
                    </label>
                  )}
                  {canEdit && (
                    <div>
                      <label htmlFor={`fix-${key}`} className="sr-only">
                        Correct line {row.line}
                      </label>
                      <input
                        id={`fix-${key}`}
                        className={cn(inputClass, "font-mono")}
                        value={lineText(row.line)}
                        disabled={editDisabled}
                        onChange={(e) => onEditLine(row.line, e.target.value)}
                        autoComplete="off"
                        spellCheck={false}
                      />
                    </div>
                  )}
                </Td>
              </tr>
            );
          })}
        </tbody>
      </Table>
      {shown.length > limit && (
        <button type="button" className="text-sm text-sky-700 underline" onClick={() => setLimit((n) => n + PAGE * 4)}>
          Show more ({shown.length - limit} not shown)
        </button>
      )}
    </div>
  );
}

function RowDetails({ row }: { row: RowVerdict }) {
  switch (row.status) {
    case "ok":
      return (
        <p className="text-slate-600">
          {[row.label, row.model, row.serial].filter(Boolean).join(" · ") || "New phone"}
          {row.urlOverride && <span className="block font-mono text-xs break-all">{row.urlOverride}</span>}
        </p>
      );
    case "invalid":
    case "unknown_customer":
      return <p className="text-red-800">{row.message}</p>;
    case "duplicate":
      return <p className="text-amber-900">Same MAC as line {row.firstLine}: only that line is added.</p>;
    case "exists":
      return (
        <p className="text-slate-700">{row.canMove ? `Already registered for ${row.customerName}.` : row.message}</p>
      );
  }
}

function SnomBadge({ check }: { check: SnomCheck }) {
  const styles = {
    free: ["bg-emerald-50 text-emerald-900 ring-emerald-300", "snom: free"],
    ours: ["bg-emerald-50 text-emerald-900 ring-emerald-300", "snom: already ours"],
    owned_by_other_user: ["bg-purple-100 text-purple-900 ring-purple-300", "snom: owned by another account"],
    error: ["bg-slate-100 text-slate-800 ring-slate-300", "snom: not checked"],
  } as const;
  const [tone, text] = styles[check.verdict];
  return (
    <span title={check.message} className={cn("rounded-full px-2 py-0.5 text-xs font-medium ring-1", tone)}>
      {text}
    </span>
  );
}
