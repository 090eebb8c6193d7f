import { LocalTime } from "@/components/ui/local-time";
import { describeCallOutcome } from "@/lib/redirection/outcome-words";

/** Method names as a reseller reads them. */
const METHOD_WORDS: Record<string, string> = {
  registerPhone: "Register",
  deregisterPhone: "Deregister",
  getPhoneRedirection: "Look up redirection",
  checkPhone: "Check registration",
  "reconcile.import": "Imported from the service",
  "reconcile.adopt": "Adopted the service's URL",
};

type Event = {
  id: string;
  createdAt: Date;
  method: string;
  outcome: string;
  actor: string;
  url: string | null;
  httpStatus: number | null;
  rawExcerpt: string | null;
  durationMs: number;
};

/** What happens after the newest failed call, when the phone's state says so. */
const NEXT_WORDS: Partial<Record<string, string>> = {
  retrying: "will be retried",
  waiting: "will be retried when the service answers",
  failed: "gave up: no more automatic retries",
};

/**
 * The phone's calls, newest first. `status` is the phone's sync status: the newest row, when it
 * failed, says whether the worker will try again or gave up (older rows are followed by newer ones).
 */
export function PhoneHistory({ events, status }: { events: Event[]; status?: string }) {
  if (events.length === 0) {
    return <p className="text-sm text-slate-600">No call to the redirection service yet.</p>;
  }
  return (
    <ol className="relative space-y-4 border-l border-slate-200 pl-5">
      {events.map((e, i) => (
        <li key={e.id} className="text-sm">
          <span
            aria-hidden
            className={`absolute -left-1.5 mt-1.5 size-3 rounded-full ${e.outcome === "ok" ? "bg-emerald-500" : "bg-red-500"}`}
          />
          <p>
            <span className="text-slate-500">
              <LocalTime date={e.createdAt} withSeconds />
            </span>{" "}
            <span title={e.method}>{METHOD_WORDS[e.method] ?? e.method}</span> →{" "}
            <strong title={e.outcome}>{describeCallOutcome(e)}</strong>{" "}
            <span className="text-slate-500">
              ({e.durationMs} ms, by {e.actor})
            </span>
            {i === 0 && e.outcome !== "ok" && status && NEXT_WORDS[status] && (
              <span className="text-slate-700"> · {NEXT_WORDS[status]}</span>
            )}
          </p>
          {e.url && <p className="font-mono text-xs break-all text-slate-600">{e.url}</p>}
          {e.rawExcerpt && e.outcome !== "ok" && (
            <details className="text-xs text-slate-600">
              <summary className="cursor-pointer">Raw reply</summary>
              <pre className="mt-1 overflow-x-auto rounded bg-slate-100 p-2 whitespace-pre-wrap">{e.rawExcerpt}</pre>
            </details>
          )}
        </li>
      ))}
    </ol>
  );
}
