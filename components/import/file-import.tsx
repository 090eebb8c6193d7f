"use client";
import Link from "next/link";
import { unstable_rethrow } from "next/navigation";
import {
  startTransition,
  useActionState,
  useEffect,
  useMemo,
  useRef,
  useState,
  type FormEvent,
  type KeyboardEvent,
} from "react";
import { fileImportAction } from "@/app/(portal)/import/actions";
import type { ActionState } from "@/lib/actions/action";
import { IMPORT_FIELDS, MAX_IMPORT_LINES, type ImportField } from "@/lib/import/types";
import type { ImportActionData } from "@/lib/import/view";
import { inputClass, SelectField } from "@/components/ui/field";
import { Alert } from "@/components/ui/card";
import { Table, Td, Th } from "@/components/ui/table";
import { SyncProgress } from "@/components/customers/sync-progress";
import { ImportReview, PendingButton } from "./import-review";

const MAX_FILE_BYTES = 5 * 1024 * 1024;

const FIELD_LABELS: Record<ImportField | "ignore", string> = {
  mac: "MAC address",
  customerNumber: "Customer number",
  customerName: "Customer name",
  label: "Label",
  model: "Model",
  serial: "Serial number",
  urlOverride: "URL override",
  ignore: "Ignore",
};

const DELIMITER_LABELS = { ",": "comma (,)", ";": "semicolon (;)", "\t": "tab" } as const;

type Choice = ImportField | "ignore";

/** The action, but an upload the server refuses outright (e.g. over its size limit) becomes a message. */
async function submitFileImport(prev: ActionState, formData: FormData): Promise<ActionState> {
  try {
    return await fileImportAction(prev, formData);
  } catch (e) {
    unstable_rethrow(e);
    return { message: "The server did not accept the upload (is the file too large?). Nothing was imported." };
  }
}

/**
 * File import: upload a CSV/TSV, see how its columns were understood, change the mapping, check,
 * add. The browser keeps the chosen file and sends it with every step; the server re-reads it.
 */
export function FileImport({
  customers,
  customerIdsWithoutUrl,
}: {
  customers: { id: string; name: string; number: string }[];
  /** Customers without any provisioning URL: their added phones are kept but not sent. */
  customerIdsWithoutUrl: string[];
}) {
  const [state, dispatch, isPending] = useActionState(submitFileImport, {});
  const [fileName, setFileName] = useState<string | null>(null);
  const [fileChangedSinceCheck, setFileChangedSinceCheck] = useState(false);
  const [dirty, setDirty] = useState(false);
  const [choices, setChoices] = useState<Choice[] | null>(null);
  const [defaultCustomerId, setDefaultCustomerId] = useState("");
  const [pendingIntent, setPendingIntent] = useState<string | null>(null);
  const [clientError, setClientError] = useState<string | null>(null);
  const [moves, setMoves] = useState<Set<string>>(new Set());
  const [confirmed, setConfirmed] = useState(false);
  const fileRef = useRef<HTMLInputElement>(null);

  const data = state.data as ImportActionData | undefined;
  const added = state.ok ? data?.added : undefined;
  const view = added ? undefined : data?.view;
  const customerNames = useMemo(
    () => Object.fromEntries(customers.map((c) => [c.id, `${c.name} (${c.number})`])),
    [customers],
  );
  const fileErrors = state.fieldErrors?.file ?? (clientError ? [clientError] : undefined);
  const mappingErrors = state.fieldErrors?.mapping;
  const formMessage =
    !state.ok && state.message && !state.fieldErrors?.file && !state.fieldErrors?.mapping ? state.message : null;

  // Each answer brings the mapping it used; adjust the selects while rendering (not in an effect).
  const [answered, setAnswered] = useState(state);
  if (answered !== state) {
    setAnswered(state);
    const next = (state.data as ImportActionData | undefined)?.view?.file;
    if (next) {
      const byColumn: Choice[] = next.headers.map(() => "ignore");
      for (const [field, index] of Object.entries(next.mapping) as [ImportField, number][]) byColumn[index] = field;
      setChoices(byColumn);
    }
    if (state.ok) {
      setChoices(null);
      setFileName(null);
    }
  }

  // After a successful import the file input is emptied for the next file.
  useEffect(() => {
    if (state.ok && fileRef.current) fileRef.current.value = "";
  }, [state]);

  function submit(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    const submitter = (e.nativeEvent as SubmitEvent).submitter as HTMLButtonElement | null;
    const formData = new FormData(e.currentTarget, submitter);
    const file = fileRef.current?.files?.[0];
    if (!file) {
      setClientError("Choose a CSV or TSV file.");
      return;
    }
    if (file.size > MAX_FILE_BYTES) {
      setClientError(
        `The file is ${(file.size / 1024 / 1024).toFixed(1)} MB; the limit is 5 MB (${MAX_IMPORT_LINES} lines). Split it into smaller files.`,
      );
      return;
    }
    setClientError(null);
    // A new file is read with the detected mapping; the same file with the user's choices.
    if (fileChangedSinceCheck || !choices) {
      for (const key of [...formData.keys()]) if (key.startsWith("col-") || key === "mapped") formData.delete(key);
    }
    setPendingIntent(String(formData.get("intent") ?? "check"));
    // The choices below belong to this check; the next answer starts without them.
    setDirty(false);
    setFileChangedSinceCheck(false);
    setMoves(new Set());
    setConfirmed(false);
    startTransition(() => dispatch(formData));
  }

  function keepEnterLocal(e: KeyboardEvent<HTMLFormElement>) {
    const target = e.target as HTMLElement;
    if (e.key === "Enter" && target.tagName !== "BUTTON") e.preventDefault();
  }

  const isCurrent = view !== undefined && !dirty && !fileChangedSinceCheck;

  return (
    <form onSubmit={submit} onKeyDown={keepEnterLocal} className="space-y-6" aria-busy={isPending} noValidate>
      {added && (
        <Alert tone="success">
          <p className="font-medium">{state.message}</p>
          <p className="mt-1">Customers:</p>
          <ul className="mt-1 list-inside list-disc">
            {added.customerIds.map((id) => (
              <li key={id}>
                <Link href={`/customers/${id}`} className="text-sky-800 underline">
                  {customerNames[id] ?? id}
                </Link>
                {customerIdsWithoutUrl.includes(id)
                  ? ": kept but not sent to the redirection service, there is no provisioning URL yet (they show “Needs URL”)"
                  : ": queued for the redirection service; the progress shows below"}
              </li>
            ))}
          </ul>
        </Alert>
      )}
      {added &&
        // One live progress line per customer the file's phones went to (only those that are sent);
        // keyed by the answer: every import starts fresh from its own figures.
        added.customerIds
          .filter((id) => !customerIdsWithoutUrl.includes(id) && (added.perCustomer?.[id] ?? 0) > 0)
          .map((id) => (
            <section key={`${added.batchId}-${id}`} aria-label={`Progress of ${customerNames[id] ?? id}`}>
              <h3 className="mb-1 text-sm font-medium text-slate-800">{customerNames[id] ?? id}</h3>
              <SyncProgress
                customerId={id}
                batchId={added.batchId}
                batchWord="imported"
                initial={{ total: added.perCustomer![id]!, inFlight: added.perCustomer![id]!, counts: {} }}
                refreshPage={false}
              />
            </section>
          ))}
      {formMessage && <Alert tone="error">{formMessage}</Alert>}

      <div className="grid gap-4 md:grid-cols-2">
        <div className="space-y-1">
          <label htmlFor="import-file" className="block text-sm font-medium text-slate-800">
            CSV or TSV file
          </label>
          <input
            ref={fileRef}
            id="import-file"
            name="file"
            type="file"
            accept=".csv,.tsv,.txt,text/csv,text/tab-separated-values,text/plain"
            aria-invalid={fileErrors ? true : undefined}
            aria-describedby={fileErrors ? "import-file-hint import-file-error" : "import-file-hint"}
            onChange={(e) => {
              setFileName(e.target.files?.[0]?.name ?? null);
              setFileChangedSinceCheck(true);
              setChoices(null);
              setClientError(null);
            }}
            className="block w-full text-sm text-slate-800 file:mr-3 file:rounded-md file:border file:border-slate-300 file:bg-white file:px-3 file:py-2 file:text-sm file:font-medium hover:file:bg-slate-50"
          />
          <p id="import-file-hint" className="text-xs text-slate-500">
            UTF-8 with or without BOM, separated by commas, semicolons or tabs, as spreadsheets export it; up to 5 MB
            and {MAX_IMPORT_LINES} lines. A header row is recognised (MAC, Kundennummer, Label, …).
          </p>
          {fileErrors && (
            <ul id="import-file-error" role="alert" className="text-sm text-red-700">
              {fileErrors.map((e) => (
                <li key={e}>{e}</li>
              ))}
            </ul>
          )}
        </div>
        <SelectField
          label="Customer for rows without a customer column"
          name="defaultCustomerId"
          value={defaultCustomerId}
          onChange={(e) => {
            setDefaultCustomerId(e.target.value);
            setDirty(true);
          }}
          hint="Rows whose customer column names a customer go to that customer."
        >
          <option value="">No default: every row names its customer</option>
          {customers.map((c) => (
            <option key={c.id} value={c.id}>
              {c.name} ({c.number})
            </option>
          ))}
        </SelectField>
      </div>

      {view?.file && choices && !fileChangedSinceCheck && (
        <section aria-labelledby="mapping-heading" className="space-y-2">
          <h2 id="mapping-heading" className="text-lg font-semibold">
            Columns of {view.file.name}
          </h2>
          <p className="text-sm text-slate-600">
            Separator: <strong>{DELIMITER_LABELS[view.file.delimiter]}</strong> ·{" "}
            {view.file.hasHeader ? "first row is a header" : "no header row"}. Change what a column means, then check
            again.
          </p>
          <input type="hidden" name="mapped" value="yes" />
          {mappingErrors && (
            <Alert tone="error">
              {mappingErrors.map((e) => (
                <p key={e}>{e}</p>
              ))}
            </Alert>
          )}
          <Table aria-label="Column mapping">
            <thead>
              <tr>
                <Th>Column</Th>
                <Th>Meaning</Th>
              </tr>
            </thead>
            <tbody className="divide-y divide-slate-100">
              {view.file.headers.map((header, i) => (
                <tr key={i}>
                  <Td>
                    <label htmlFor={`col-${i}`} className="font-medium">
                      {header || `Column ${i + 1}`}
                    </label>
                  </Td>
                  <Td>
                    <select
                      id={`col-${i}`}
                      name={`col-${i}`}
                      value={choices[i] ?? "ignore"}
                      onChange={(e) => {
                        const next = [...choices];
                        next[i] = e.target.value as Choice;
                        setChoices(next);
                        setDirty(true);
                      }}
                      className={inputClass}
                    >
                      {[...IMPORT_FIELDS, "ignore" as const].map((f) => (
                        <option key={f} value={f}>
                          {FIELD_LABELS[f]}
                        </option>
                      ))}
                    </select>
                  </Td>
                </tr>
              ))}
            </tbody>
          </Table>
        </section>
      )}

      <div className="flex flex-wrap items-center gap-2">
        <PendingButton
          type="submit"
          name="intent"
          value="check"
          variant={view ? "secondary" : "primary"}
          pending={isPending && pendingIntent === "check"}
          pendingText="Reading…"
          disabled={isPending}
        >
          {view && !fileChangedSinceCheck ? "Check again" : "Read and check file"}
        </PendingButton>
        {fileName && <span className="text-sm text-slate-600">{fileName}</span>}
      </div>

      {view && (
        <ImportReview
          view={view}
          isCurrent={isCurrent}
          staleHint="The file, its column mapping or the default customer changed since the check: check again before adding."
          confirmed={confirmed}
          onConfirm={setConfirmed}
          pendingIntent={pendingIntent}
          isPending={isPending}
          table={{
            customerNames,
            moves,
            onToggleMove: (mac, on) =>
              setMoves((prev) => {
                const next = new Set(prev);
                if (on) next.add(mac);
                else next.delete(mac);
                return next;
              }),
            moveLabel: (row) =>
              `Move to ${row.targetCustomerId ? (customerNames[row.targetCustomerId] ?? "its customer") : "its customer"}`,
          }}
        />
      )}
    </form>
  );
}
