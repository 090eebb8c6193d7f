"use client";
import { useActionState, useState, type ReactNode } from "react";
import { checkRedirectionAction, retryPhoneAction } from "@/app/(portal)/phones/actions";
import type { RedirectionCheck } from "@/lib/data/redirection-check";
import { SubmitButton } from "@/components/ui/submit-button";
import { Alert } from "@/components/ui/card";

/**
 * The check contradicts our record: it said synced, but the service has no registration (`missing`)
 * or holds another URL of ours (`other_url`). Null when the check agrees or says nothing of the kind.
 */
function driftOf(check: RedirectionCheck | undefined): "missing" | "other_url" | null {
  if (!check || !("recordedSynced" in check) || !check.recordedSynced) return null;
  if (check.kind === "not_registered") return "missing";
  if (check.kind === "registered" && check.ours && !check.matches) return "other_url";
  return null;
}

/** "Send again" for a phone whose registration the check found missing or changed at the service. */
function SendAgainForm({ phoneId, reason, action }: { phoneId: string; reason: string; action: (f: FormData) => void }) {
  return (
    <form action={action} className="mt-2">
      <input type="hidden" name="id" value={phoneId} />
      <input type="hidden" name="reason" value={reason} />
      <SubmitButton variant="primary" size="sm" pendingText="Queuing…">
        Send again
      </SubmitButton>
    </form>
  );
}

function CheckResult({
  check,
  sandbox,
  sendAgain,
}: {
  check: RedirectionCheck;
  sandbox: boolean;
  /** Shown under a result that contradicts our record, for users allowed to sync. */
  sendAgain?: ReactNode;
}) {
  const where = sandbox ? " (sandbox, not snom)" : "";
  const drift = driftOf(check);
  if (drift === "missing" && check.kind === "not_registered") {
    return (
      <Alert tone="warning">
        <strong>Not registered{where}.</strong> Our record said synced, but the service has no registration for this
        MAC: it was probably removed there. Send it again to register it with{" "}
        <span className="font-mono break-all">{check.expectedUrl ?? "its URL"}</span>.
        {sendAgain}
      </Alert>
    );
  }
  if (drift === "other_url" && check.kind === "registered") {
    return (
      <Alert tone="warning">
        <strong>A different URL{where}.</strong> Our record said synced with{" "}
        <span className="font-mono break-all">{check.expectedUrl ?? "no URL"}</span>, but the service holds{" "}
        <span className="font-mono break-all">{check.url || "no URL (not redirected)"}</span>: it was changed there.
        Send it again to put our URL back.
        {sendAgain}
      </Alert>
    );
  }
  switch (check.kind) {
    case "registered":
      return (
        <Alert tone={check.matches && check.ours ? "success" : "warning"}>
          Registered{where} to <strong>{check.company || "an unnamed account"}</strong>
          {check.ours ? " (your account)" : ""}: <span className="font-mono break-all">{check.url || "(no URL: not redirected)"}</span>
          <span className="mt-1 block">
            {check.matches
              ? "This is the URL the portal expects."
              : `The portal expects ${check.expectedUrl ?? "no URL"}; the next sync corrects it.`}
          </span>
        </Alert>
      );
    case "not_registered":
      return <Alert tone="warning">Not registered{where}: the service does not know this MAC.</Alert>;
    case "owned_elsewhere":
      return (
        <Alert tone="error">
          Owned by another account{check.company ? `: ${check.company}` : ""}. Only that account can release it.
        </Alert>
      );
    case "error":
      return <Alert tone="error">{check.message}</Alert>;
  }
}

export function PhoneSyncActions({
  phoneId,
  sandbox,
  canRetry,
  synced = false,
}: {
  phoneId: string;
  sandbox: boolean;
  /** The user may queue the phone again (permission phones:sync) and the phone is not being removed. */
  canRetry: boolean;
  /** The phone is registered as expected: the button sends it again rather than "retrying". */
  synced?: boolean;
}) {
  const [checkState, check] = useActionState(checkRedirectionAction, {});
  const [retryState, retry] = useActionState(retryPhoneAction, {});
  // Whichever answered last is shown: a check result from before "Send again" is stale once queued.
  const [latest, setLatest] = useState<"check" | "retry" | null>(null);
  const [answered, setAnswered] = useState({ checkState, retryState });
  if (answered.checkState !== checkState || answered.retryState !== retryState) {
    setAnswered({ checkState, retryState });
    setLatest(answered.retryState !== retryState ? "retry" : "check");
  }
  // A refusal (e.g. by role) comes back as a message without a check result.
  const checked = checkState.data && "kind" in checkState.data ? (checkState.data as RedirectionCheck) : undefined;
  const result = latest === "retry" && retryState.ok ? undefined : checked;
  const drift = driftOf(result);
  return (
    <div className="space-y-3">
      <div className="flex flex-wrap gap-2">
        <form action={check}>
          <input type="hidden" name="id" value={phoneId} />
          <SubmitButton variant="secondary" size="sm" pendingText="Asking the service…">
            Check redirection
          </SubmitButton>
        </form>
        {canRetry && !drift && (
          <form action={retry}>
            <input type="hidden" name="id" value={phoneId} />
            <SubmitButton variant="secondary" size="sm" pendingText="Queuing…">
              {synced ? "Send again" : "Retry"}
            </SubmitButton>
          </form>
        )}
      </div>
      {result && (
        <CheckResult
          check={result}
          sandbox={sandbox}
          sendAgain={drift && canRetry ? <SendAgainForm phoneId={phoneId} reason={drift} action={retry} /> : undefined}
        />
      )}
      {!checked && checkState.message && <Alert tone="error">{checkState.message}</Alert>}
      {retryState.message && <Alert tone={retryState.ok ? "success" : "error"}>{retryState.message}</Alert>}
    </div>
  );
}
