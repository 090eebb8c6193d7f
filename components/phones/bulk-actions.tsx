"use client";
import { startTransition, useActionState, useState, type FormEvent } from "react";
import Link from "next/link";
import type { ActionState } from "@/lib/actions/action";
import { Alert } from "@/components/ui/card";
import { SubmitButton } from "@/components/ui/submit-button";
import { inputClass } from "@/components/ui/field";
import { CustomerCombobox } from "@/components/customers/customer-combobox";
import { countOf } from "@/lib/format";
import { parsePastedMacs } from "@/lib/mac";

/** The pasted selection as the confirm box counts it: distinct valid MACs; the phones among them are found on the server. */
function pastedCount(text: string): string {
  const { macs, invalid } = parsePastedMacs(text);
  const skipped = invalid.length
    ? ` (${invalid.length === 1 ? "1 line that is not a MAC" : `${invalid.length} lines that are not MACs`} left out)`
    : "";
  return `the phones of the ${countOf(macs.length, "pasted MAC")}${skipped}`;
}

type Action = (prev: ActionState, formData: FormData) => Promise<ActionState>;

export const BULK_FORM_ID = "bulk-phones";

/**
 * Bulk actions on the phones list: act on the ticked rows (their checkboxes belong to this form),
 * on a pasted list of MACs, or on every phone matching the list's filter (sent as hidden fields);
 * move to a customer, retry, delete (deregister; admins) or re-point (admins).
 */
export function BulkActions({
  action,
  filter,
  total,
  canRepoint,
  canDelete,
}: {
  action: Action;
  filter: Record<string, string | undefined>;
  total: number;
  canRepoint: boolean;
  canDelete: boolean;
}) {
  const [state, dispatch, pending] = useActionState(action, {});
  const [selection, setSelection] = useState("checked");
  const [operation, setOperation] = useState("retry");
  const onSubmit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const data = new FormData(event.currentTarget);
    // Deleting or re-pointing changes registrations at the redirection service: ask first, with the count.
    if (operation === "delete" || operation === "repoint") {
      const count =
        selection === "filter"
          ? `${total === 1 ? "the one phone" : `all ${total} phones`} matching the filter`
          : selection === "checked"
            ? countOf(document.querySelectorAll(`input[name="phoneId"][form="${BULK_FORM_ID}"]:checked`).length, "ticked phone")
            : pastedCount(String(data.get("macs") ?? ""));
      const what =
        operation === "delete"
          ? `Delete ${count}? Each is deregistered at the redirection service first.`
          : `Re-point ${count} to ${String(data.get("template") ?? "")}? Each is re-registered at the redirection service.`;
      if (!window.confirm(what)) return;
    }
    startTransition(() => dispatch(data));
  };
  const errors = Object.values(state.fieldErrors ?? {}).flatMap((l) => l ?? []);
  const runId = typeof state.data?.runId === "string" ? state.data.runId : null;
  return (
    <details className="mb-4 rounded-md border border-slate-200 bg-white p-3">
      <summary className="cursor-pointer text-sm font-medium">Bulk actions</summary>
      <form id={BULK_FORM_ID} onSubmit={onSubmit} className="mt-3 space-y-3" noValidate aria-label="Bulk actions">
        {state.message && (
          <Alert tone={state.ok ? "success" : "error"}>
            {state.message}
            {errors.length > 0 && <span className="block">{errors.join(" ")}</span>}
            {runId && (
              <Link className="ml-1 underline" href={`/reconcile/repoint?run=${runId}`}>
                Follow the re-point
              </Link>
            )}
          </Alert>
        )}
        {Object.entries(filter).map(([k, v]) => (v ? <input key={k} type="hidden" name={k} value={v} /> : null))}
        <fieldset className="flex flex-wrap gap-4 text-sm">
          <legend className="mb-1 font-medium">Act on</legend>
          {[
            ["checked", "The ticked phones"],
            ["macs", "Pasted MACs"],
            ["filter", `All matching the filter (${countOf(total, "phone")})`],
          ].map(([value, label]) => (
            <label key={value} className="flex items-center gap-1">
              <input
                type="radio"
                name="selection"
                value={value}
                checked={selection === value}
                onChange={() => setSelection(value)}
              />
              {label}
            </label>
          ))}
        </fieldset>
        {selection === "macs" && (
          <label className="block text-sm">
            <span className="mb-1 block font-medium">MACs (one per line, any notation)</span>
            <textarea name="macs" rows={4} className={inputClass} />
          </label>
        )}
        <div className="flex flex-wrap items-end gap-3">
          <label className="text-sm">
            <span className="mb-1 block font-medium">Action</span>
            <select
              name="operation"
              value={operation}
              onChange={(e) => setOperation(e.target.value)}
              className={inputClass}
            >
              <option value="retry">Retry</option>
              <option value="move">Move to a customer</option>
              {canDelete && <option value="delete">Delete (deregister)</option>}
              {canRepoint && <option value="repoint">Re-point to a new URL</option>}
            </select>
          </label>
          {operation === "move" && (
            // Searchable like the list's filter: an organization may have thousands of customers.
            <div className="min-w-64 text-sm">
              <CustomerCombobox name="customerId" selected={null} autoSubmit={false} fieldLabel="Move to customer" emptyLabel="Choose…" />
            </div>
          )}
          {operation === "repoint" && (
            <label className="text-sm">
              <span className="mb-1 block font-medium">New URL template</span>
              <input name="template" className={inputClass} placeholder="https://prov.example.net/snom/{mac}.xml" />
            </label>
          )}
          <SubmitButton pending={pending} variant={operation === "delete" ? "danger" : "primary"}>
            Apply
          </SubmitButton>
        </div>
      </form>
    </details>
  );
}
