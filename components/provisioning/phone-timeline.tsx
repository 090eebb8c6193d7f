import { LocalTime } from "@/components/ui/local-time";

type Timeline = {
  entered: { at: Date; by: string | null };
  pushedAt: Date | null;
  acceptedAt: Date | null;
  firstFetch: { at: Date; model: string | null; firmware: string | null } | null;
  lastFetch: {
    at: Date;
    count: number;
    address: string | null;
    userAgent: string | null;
    firmware: string | null;
    changed: boolean;
  } | null;
  logLines: { id: string; receivedAt: Date; severity: number | null; text: string }[];
};

const SEVERITY = ["emerg", "alert", "crit", "err", "warning", "notice", "info", "debug"];

function Stage({ done, title, children }: { done: boolean; title: string; children?: React.ReactNode }) {
  return (
    <li className="relative pb-4 pl-6" data-stage={title} data-done={done}>
      <span
        aria-hidden
        className={`absolute top-1 left-0 size-3 rounded-full border-2 ${done ? "border-emerald-600 bg-emerald-600" : "border-slate-300 bg-white"}`}
      />
      <p className={`text-sm font-medium ${done ? "text-slate-900" : "text-slate-500"}`}>
        {title}
        {!done && <span className="sr-only"> (not yet)</span>}
      </p>
      {children && <div className="text-sm text-slate-600">{children}</div>}
    </li>
  );
}

/**
 * entered → pushed → accepted by the service → first fetch → last fetch → log lines. With
 * `servedHere` false (the phone's URL is another server) the fetch stages, which could never fill
 * in, are left out, and the log too unless lines arrived.
 */
export function PhoneTimeline({ timeline: t, servedHere = true }: { timeline: Timeline; servedHere?: boolean }) {
  return (
    <ol className="border-l border-slate-200 pl-2" aria-label="Timeline">
      <Stage done title="Entered">
        <LocalTime date={t.entered.at} />
        {t.entered.by && <> by {t.entered.by}</>}
      </Stage>
      <Stage done={!!t.pushedAt} title="Pushed to the redirection service">
        {t.pushedAt ? <LocalTime date={t.pushedAt} /> : "not yet"}
      </Stage>
      <Stage done={!!t.acceptedAt} title="Accepted by the service">
        {t.acceptedAt ? <LocalTime date={t.acceptedAt} /> : "not yet"}
      </Stage>
      {servedHere && (
        <>
          <Stage done={!!t.firstFetch} title="First configuration fetch">
            {t.firstFetch ? (
              <>
                <LocalTime date={t.firstFetch.at} /> · model <strong>{t.firstFetch.model ?? "unknown"}</strong>,
                firmware <strong>{t.firstFetch.firmware ?? "unknown"}</strong>
              </>
            ) : (
              "the phone has not fetched its file yet"
            )}
          </Stage>
          <Stage done={!!t.lastFetch} title="Last fetch">
            {t.lastFetch && (
              <>
                <LocalTime date={t.lastFetch.at} /> from <span className="font-mono">{t.lastFetch.address}</span> ·{" "}
                {t.lastFetch.count} fetch
                {t.lastFetch.count === 1 ? "" : "es"} · firmware {t.lastFetch.firmware ?? "unknown"} ·{" "}
                {t.lastFetch.count === 1
                  ? "first fetch"
                  : t.lastFetch.changed
                    ? "the file had changed since the fetch before"
                    : "same file as the fetch before"}
                {t.lastFetch.userAgent && (
                  <span className="block font-mono text-xs break-all text-slate-500">{t.lastFetch.userAgent}</span>
                )}
              </>
            )}
          </Stage>
        </>
      )}
      {(servedHere || t.logLines.length > 0) && (
        <Stage done={t.logLines.length > 0} title="Phone system log">
          {t.logLines.length === 0 ? (
            "no log lines received"
          ) : (
            <ul className="mt-1 max-h-80 overflow-auto rounded bg-slate-950 p-2 font-mono text-xs text-slate-100">
              {t.logLines.map((l) => (
                <li key={l.id} className="break-all whitespace-pre-wrap">
                  <LocalTime date={l.receivedAt} withSeconds />{" "}
                  {l.severity !== null ? `[${SEVERITY[l.severity]}] ` : ""}
                  {l.text}
                </li>
              ))}
            </ul>
          )}
        </Stage>
      )}
    </ol>
  );
}
