"use client";
import Link from "next/link";
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
import { pasteImportAction } from "@/app/(portal)/customers/[id]/import/actions";
import { MAX_IMPORT_LINES } from "@/lib/import/types";
import {
  dropBadLines,
  invalidLinesToDrop,
  keepUnaddedLines,
  replaceLine,
  splitLines,
  type ImportActionData,
  type ImportView,
  type SnomCheck,
} from "@/lib/import/view";
import { TextareaField } from "@/components/ui/field";
import { Alert } from "@/components/ui/card";
import { SessionEndedAlert, isSessionEnded } from "@/components/auth/session-ended-alert";
import { Button } from "@/components/ui/button";
import { ImportReview, PendingButton } from "./import-review";
import { SyncProgress } from "@/components/customers/sync-progress";

const countContentLines = (text: string) => splitLines(text).filter((l) => l.trim() !== "").length;

/**
 * The paste box: a textarea (a USB scanner types a code and presses Enter, which is a new line
 * here, never a submit), "Check" runs the server-side preview, "Add" commits what it showed.
 */
export function PasteImport({
  customerId,
  customerName,
  hasUrl,
}: {
  customerId: string;
  customerName: string;
  /** The customer or the organization has a provisioning URL: added phones are sent to the service. */
  hasUrl: boolean;
}) {
  const [state, dispatch, isPending] = useActionState(pasteImportAction, {});
  const [text, setText] = useState("");
  const [typedSinceCheck, setTypedSinceCheck] = useState(false);
  const [pendingIntent, setPendingIntent] = useState<string | null>(null);
  const [clientError, setClientError] = useState<string | null>(null);
  const [moves, setMoves] = useState<Set<string>>(new Set());
  const [confirmed, setConfirmed] = useState(false);
  const formRef = useRef<HTMLFormElement>(null);
  const boxRef = useRef<HTMLTextAreaElement>(null);

  const data = state.data as ImportActionData | undefined;
  const added = state.ok ? data?.added : undefined;
  const sessionEnded = isSessionEnded(state);
  // The last check's review, kept through an answer that saved nothing because the session ended,
  // so "Add" can be pressed again once signed in.
  const [lastView, setLastView] = useState<ImportView | undefined>(undefined);
  /** Typed in the box since the last successful "Add" (a double tap on an emptied box is no error). */
  const [typedSinceAdd, setTypedSinceAdd] = useState(false);
  // What "Check with snom" said about each MAC outlives later plain checks (e.g. "Drop bad lines"),
  // so an owned MAC keeps its verdict until the box is emptied by a successful Add.
  const [snomSeen, setSnomSeen] = useState<Record<string, SnomCheck>>({});
  /** Lines left in the box by the last "Add" because they could not be added. */
  const [keptLines, setKeptLines] = useState(0);
  /** Lines "Drop bad lines" took out because they are not MACs: shown to copy and fix, until dismissed. */
  const [droppedLines, setDroppedLines] = useState<string[]>([]);
  const view = withRememberedSnom(added ? undefined : sessionEnded ? lastView : data?.view, snomSeen);
  const isCurrent = view !== undefined && view.checkedText === text;
  const lines = useMemo(() => splitLines(text), [text]);
  const textErrors = state.fieldErrors?.text ?? (clientError ? [clientError] : undefined);
  const formMessage = !state.ok && state.message && !state.fieldErrors?.text && !sessionEnded ? state.message : null;

  // A successful "Add" empties the box (state adjusted while rendering, not in an effect).
  const [answered, setAnswered] = useState(state);
  if (answered !== state) {
    setAnswered(state);
    const answer = state.data as ImportActionData | undefined;
    if (!isSessionEnded(state)) setLastView(state.ok && answer?.added ? undefined : answer?.view);
    if (state.ok && answer?.added) setTypedSinceAdd(false);
    if (state.ok && answer?.added) {
      // The lines that could not be added stay, to be corrected; everything added leaves the box.
      // After an answer that saved nothing (session ended), the review shown was the kept one.
      const shown = isSessionEnded(answered) ? lastView : (answered.data as ImportActionData | undefined)?.view;
      const rest = shown ? keepUnaddedLines(text, shown.rows, shown.checkedText) : "";
      setText(rest);
      setKeptLines(rest ? splitLines(rest).length : 0);
      setSnomSeen({});
    } else if (answer?.view?.snom) {
      const fresh = answer.view.snom;
      setSnomSeen((prev) => ({ ...prev, ...fresh }));
    }
  }

  // After every answer the box keeps the focus, caret at the end, ready for the next scan.
  useEffect(() => {
    const box = boxRef.current;
    if (box) {
      box.focus();
      box.setSelectionRange(box.value.length, box.value.length);
    }
  }, [state]);

  function run(formData: FormData) {
    const count = countContentLines(String(formData.get("text") ?? ""));
    if (count === 0) {
      // A second tap right after a successful "Add" emptied the box: the success message stays.
      if (added && !typedSinceAdd) {
        boxRef.current?.focus();
        return;
      }
      setClientError("Paste or scan at least one MAC address.");
      boxRef.current?.focus();
      return;
    }
    if (count > MAX_IMPORT_LINES) {
      setClientError(
        `${count} lines pasted; at most ${MAX_IMPORT_LINES} can be checked at once. Split the list and import it in parts.`,
      );
      boxRef.current?.focus();
      return;
    }
    setClientError(null);
    setPendingIntent(String(formData.get("intent") ?? "check"));
    // The choices below belong to this check; the next answer starts without them.
    setTypedSinceCheck(false);
    setMoves(new Set());
    setConfirmed(false);
    startTransition(() => dispatch(formData));
  }

  function submit(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    const submitter = (e.nativeEvent as SubmitEvent).submitter as HTMLButtonElement | null;
    run(new FormData(e.currentTarget, submitter));
  }

  /** "Drop bad lines" removes them from the box and checks the rest at once; the typos stay in a note. */
  function dropAndRecheck(checkedText: string | undefined, rows: Parameters<typeof dropBadLines>[1]) {
    const dropped = invalidLinesToDrop(text, rows, checkedText);
    if (dropped.length > 0) setDroppedLines((prev) => [...prev, ...dropped.filter((l) => !prev.includes(l))]);
    const next = dropBadLines(text, rows, checkedText);
    setText(next);
    if (!formRef.current) return;
    const formData = new FormData(formRef.current);
    formData.set("text", next);
    formData.set("intent", "check");
    run(formData);
  }

  // Enter belongs to the textarea (a new line, e.g. after each scan); it never submits the form.
  function keepEnterLocal(e: KeyboardEvent<HTMLFormElement>) {
    const target = e.target as HTMLElement;
    if (e.key === "Enter" && target.tagName !== "TEXTAREA" && target.tagName !== "BUTTON") e.preventDefault();
  }

  return (
    <form
      ref={formRef}
      onSubmit={submit}
      onKeyDown={keepEnterLocal}
      className="space-y-6"
      aria-busy={isPending}
      noValidate
    >
      <input type="hidden" name="customerId" value={customerId} />
      {added && (
        <Alert tone="success">
          <p className="font-medium">{state.message}</p>
          <p className="mt-1">
            {hasUrl
              ? "They are queued for the redirection service; their progress shows below and on the customer page."
              : "They are kept but not sent to the redirection service: there is no provisioning URL yet (they show “Needs URL” until one is set)."}{" "}
            {keptLines > 0 &&
              `${keptLines === 1 ? "The line" : `The ${keptLines} lines`} that could not be added ${keptLines === 1 ? "stays" : "stay"} in the box to be corrected. `}
            <Link href={`/customers/${customerId}`} className="text-sky-800 underline">
              Back to {customerName}
            </Link>
          </p>
        </Alert>
      )}
      {added && added.created + added.moved > 0 && (
        // Keyed by the answer: every "Add" starts a fresh progress from its own figures.
        <SyncProgress
          key={JSON.stringify(added)}
          customerId={customerId}
          batchId={added.batchId}
          initial={{ total: added.created + added.moved, inFlight: added.created + added.moved, counts: {} }}
          refreshPage={false}
        />
      )}
      <SessionEndedAlert
        state={state}
        again={pendingIntent === "add" ? "Add" : pendingIntent === "snom" ? "Check with snom" : "Check"}
      />
      {formMessage && <Alert tone="error">{formMessage}</Alert>}
      <TextareaField
        ref={boxRef}
        label="MAC addresses"
        name="text"
        value={text}
        onChange={(e) => {
          setText(e.target.value);
          setTypedSinceCheck(true);
          setTypedSinceAdd(true);
          if (clientError) setClientError(null);
        }}
        errors={textErrors}
        hint={
          <>
            One per line, or separated by commas, semicolons, tabs or spaces; any notation (000413AABBCC,
            00:04:13:aa:bb:cc, 0004.13aa.bbcc). Optionally a label and a model after the MAC, separated by a tab, comma
            or semicolon (<span className="font-mono">000413AABBCC;Reception;D785</span>), as a spreadsheet copy gives
            them. A barcode scanner puts each scan on its own line. Up to {MAX_IMPORT_LINES} lines.
          </>
        }
        rows={14}
        autoFocus
        autoComplete="off"
        spellCheck={false}
        className="[&_textarea]:font-mono"
      />
      <div className="flex flex-wrap items-center gap-2">
        <PendingButton
          type="submit"
          name="intent"
          value="check"
          variant={view ? "secondary" : "primary"}
          pending={isPending && pendingIntent === "check"}
          pendingText="Checking…"
          disabled={isPending}
        >
          {view ? "Check again" : "Check"}
        </PendingButton>
        <PendingButton
          type="submit"
          name="intent"
          value="snom"
          variant="secondary"
          pending={isPending && pendingIntent === "snom"}
          pendingText="Checking with snom…"
          disabled={isPending}
        >
          Check with snom
        </PendingButton>
        <span className="text-sm text-slate-600" aria-live="polite">
          {(() => {
            const n = lines.filter((l) => l.trim() !== "").length;
            return `${n} ${n === 1 ? "line" : "lines"}`;
          })()}
        </span>
      </div>

      {droppedLines.length > 0 && (
        <div
          role="note"
          aria-label="Dropped lines"
          className="rounded-md border border-amber-300 bg-amber-50 p-3 text-sm text-amber-950"
        >
          <p>
            {droppedLines.length === 1 ? "1 line was" : `${droppedLines.length} lines were`} dropped because{" "}
            {droppedLines.length === 1 ? "it is" : "they are"} not a MAC. Copy, fix and paste{" "}
            {droppedLines.length === 1 ? "it" : "them"} again:
          </p>
          <pre className="mt-2 max-h-40 overflow-auto font-mono text-xs break-all whitespace-pre-wrap select-all">
            {droppedLines.join("\n")}
          </pre>
          <Button type="button" size="sm" variant="ghost" className="mt-1" onClick={() => setDroppedLines([])}>
            Dismiss
          </Button>
        </div>
      )}
      {view && (
        <ImportReview
          view={view}
          isCurrent={isCurrent}
          staleHint="The list changed since it was checked: check again before adding."
          confirmed={confirmed}
          onConfirm={setConfirmed}
          pendingIntent={pendingIntent}
          isPending={isPending}
          actions={
            view.counts.invalid + view.counts.duplicate > 0 && (
              <Button
                type="button"
                variant="secondary"
                disabled={isPending || typedSinceCheck}
                onClick={() => dropAndRecheck(view.checkedText, view.rows)}
              >
                Drop bad lines
              </Button>
            )
          }
          table={{
            lineText: (line) => lines[line - 1] ?? "",
            onEditLine: (line, value) => setText((t) => replaceLine(t, line, value)),
            editDisabled: typedSinceCheck,
            moves,
            onToggleMove: (mac, on) =>
              setMoves((prev) => {
                const next = new Set(prev);
                if (on) next.add(mac);
                else next.delete(mac);
                return next;
              }),
            moveLabel: () => `Move here to ${customerName}`,
          }}
        />
      )}
    </form>
  );
}

/** The view with the snom verdicts seen earlier for its MACs, when this check did not ask snom. */
function withRememberedSnom(view: ImportView | undefined, seen: Record<string, SnomCheck>): ImportView | undefined {
  if (!view || view.snom) return view;
  const snom: Record<string, SnomCheck> = {};
  for (const row of view.rows) if ("mac" in row && seen[row.mac]) snom[row.mac] = seen[row.mac];
  return Object.keys(snom).length > 0 ? { ...view, snom } : view;
}
