"use client";
import { LoaderCircle } from "lucide-react";
import type { ReactNode } from "react";
import type { ImportView } from "@/lib/import/view";
import { Alert } from "@/components/ui/card";
import { Button } from "@/components/ui/button";
import { isOwnedElsewhere, PreviewTable, VerdictCounts, type PreviewTableProps } from "./preview-table";

/** A button that shows and announces its own pending state (forms here dispatch by hand). */
export function PendingButton({
  pending,
  pendingText,
  children,
  ...props
}: React.ComponentProps<typeof Button> & { pending: boolean; pendingText: string }) {
  return (
    <Button aria-disabled={pending || props.disabled} {...props} disabled={pending || props.disabled}>
      {pending && <LoaderCircle className="size-4 animate-spin" aria-hidden />}
      <span aria-live="polite">{pending ? pendingText : children}</span>
    </Button>
  );
}

/**
 * The preview of a check and the "Add" step, shared by the paste box and the file import. Lives
 * inside the page's form: the move checkboxes, the confirmation and the digest are submitted with it.
 */
export function ImportReview({
  view,
  isCurrent,
  staleHint,
  confirmed,
  onConfirm,
  pendingIntent,
  isPending,
  actions,
  table,
}: {
  view: ImportView;
  /** The input is unchanged since this check: "Add" is allowed. */
  isCurrent: boolean;
  staleHint: string;
  confirmed: boolean;
  onConfirm: (on: boolean) => void;
  pendingIntent: string | null;
  isPending: boolean;
  /** Extra buttons next to "Add" (e.g. "Drop bad lines"). */
  actions?: ReactNode;
  table: Omit<PreviewTableProps, "rows" | "snom">;
}) {
  const { counts } = view;
  const moveCount = table.moves.size;
  const needsConfirm = counts.notSnom > 0 && !confirmed;
  const nothing = counts.ok === 0 && moveCount === 0;
  const addLabel = `Add ${counts.ok} phone${counts.ok === 1 ? "" : "s"}${moveCount ? ` and move ${moveCount}` : ""}`;
  return (
    <section aria-labelledby="preview-heading" className="space-y-4">
      <h2 id="preview-heading" className="text-lg font-semibold">
        Check result
      </h2>
      <VerdictCounts
        counts={counts}
        ownedElsewhere={view.rows.filter((r) => isOwnedElsewhere(r, view.snom)).length}
        atOtherCustomer={view.rows.filter((r) => r.status === "exists" && r.canMove).length}
      />
      {view.snomNote && (
        <Alert
          tone={
            view.snom && Object.values(view.snom).some((c) => c.verdict === "owned_by_other_user") ? "warning" : "info"
          }
        >
          {view.snomNote}
        </Alert>
      )}
      {!isCurrent && <Alert tone="warning">{staleHint}</Alert>}
      {counts.notSnom > 0 && (
        <div className="rounded-md border border-amber-300 bg-amber-50 p-3 text-sm text-amber-900">
          <p>
            {counts.notSnom} MAC{counts.notSnom === 1 ? " does" : "s do"} not start with a snom prefix (000413 or
            00087B). Typing mistakes often look like this; check them in the list below.
          </p>
          <label className="mt-2 flex items-center gap-2 font-medium">
            <input
              type="checkbox"
              name="confirmNonSnom"
              value="yes"
              checked={confirmed}
              onChange={(e) => onConfirm(e.target.checked)}
              className="size-4"
            />
            I checked these non-snom MACs
          </label>
        </div>
      )}
      <input type="hidden" name="digest" value={view.digest} />
      <div className="flex flex-wrap items-center gap-2">
        <PendingButton
          type="submit"
          name="intent"
          value="add"
          pending={isPending && pendingIntent === "add"}
          pendingText="Adding…"
          disabled={isPending || !isCurrent || nothing || needsConfirm}
        >
          {addLabel}
        </PendingButton>
        {actions}
        {needsConfirm && <span className="text-sm text-amber-900">Confirm the non-snom MACs first.</span>}
      </div>
      <PreviewTable rows={view.rows} snom={view.snom} {...table} />
    </section>
  );
}
