"use client";
import { useActionState, useState } from "react";
import { checkServiceNowAction } from "@/app/(portal)/actions";
import { Button } from "@/components/ui/button";
import { LocalTime } from "@/components/ui/local-time";
import { Elapsed, RelativeTime } from "@/components/ui/relative-time";
import { SubmitButton } from "@/components/ui/submit-button";
import type { CircuitView } from "@/lib/data/sync-overview";
import { countOf } from "@/lib/format";

/** The next check's words once it is due: one wording on every page, whichever second it renders. */
const NEXT_CHECK_DUE = "any moment now";

/**
 * While the organization's circuit is open (issue 10): since when the service is not answering, its
 * last error, how many phones wait, when the next scheduled check is (or that one is under way), and
 * Check now with what the check found. The portal layout renders it on every page, also while the
 * circuit is closed (`circuit` null, nothing shown), so that a check that closes the circuit can
 * still say so after live refresh took the banner away (new users found: a click within a second of
 * recovery used to show nothing at all). `inProgress` (the organization's phones still queued,
 * sending or waiting) lets that note say when every waiting phone went out, instead of "are being
 * sent" next to counters that already say all are synced. Three short lines, the technical error
 * behind a disclosure below 640 px (a fresh user found the one-paragraph banner took 40 % of a phone).
 */
export function ServiceDownBanner({
  circuit,
  canCheck,
  inProgress,
}: {
  circuit: CircuitView | null;
  canCheck: boolean;
  inProgress: number;
}) {
  const [state, action] = useActionState(checkServiceNowAction, {});
  // The outage the last click was about, and the answer the user dismissed: an old answer never
  // shows on a later outage's banner.
  const [clickedFor, setClickedFor] = useState<number | null>(null);
  const [dismissed, setDismissed] = useState<typeof state | null>(null);
  const answered = state.message !== undefined && state !== dismissed;

  if (!circuit) {
    if (!answered || clickedFor === null) return null;
    return (
      <div
        role="status"
        className="flex items-center justify-center gap-3 border-b border-emerald-300 bg-emerald-50 px-4 py-2 text-sm text-emerald-900"
      >
        <span>
          The redirection service answers again:{" "}
          {inProgress > 0
            ? `waiting phones are being sent (${countOf(inProgress, "phone")} to go).`
            : "no phone is waiting for it any more."}
        </span>
        <Button size="sm" variant="ghost" onClick={() => setDismissed(state)}>
          Dismiss
        </Button>
      </div>
    );
  }
  const showAnswer = answered && clickedFor === circuit.openedAt.getTime();
  return (
    <div role="alert" className="border-b border-sky-300 bg-sky-50 px-4 py-2 text-center text-sm text-sky-950">
      <p>
        <strong>
          The redirection service has not answered for <Elapsed since={circuit.openedAt} />
        </strong>{" "}
        (since <LocalTime date={circuit.openedAt} timeOnlyToday />
        ).
      </p>
      {circuit.lastError && (
        <>
          <p className="hidden break-words sm:block">Last error: {circuit.lastError}</p>
          <details className="text-xs sm:hidden">
            <summary className="cursor-pointer">Last error</summary>
            <p className="break-words">{circuit.lastError}</p>
          </details>
        </>
      )}
      <div>
        {countOf(circuit.waiting, "phone")} waiting, sent when it answers (no attempts used up). Next check:{" "}
        {circuit.checking ? (
          "under way"
        ) : circuit.nextProbeAt ? (
          <RelativeTime date={circuit.nextProbeAt} overdue={NEXT_CHECK_DUE} />
        ) : (
          NEXT_CHECK_DUE
        )}
        .{" "}
        {canCheck && (
          <form
            action={action}
            onSubmit={() => setClickedFor(circuit.openedAt.getTime())}
            className="inline-flex items-center gap-2"
          >
            <SubmitButton size="sm" variant="secondary" pendingText="Checking…">
              Check now
            </SubmitButton>
            {showAnswer && (
              <span role="status" className="text-xs">
                {state.message}
              </span>
            )}
          </form>
        )}
      </div>
    </div>
  );
}
