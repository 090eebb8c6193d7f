"use client";
import { useActionState } from "react";
import { checkRedirectionAction, retryPhoneAction } from "@/app/(portal)/phones/actions";
import type { RedirectionCheck } from "@/lib/data/redirection-check";
import { SubmitButton } from "@/components/ui/submit-button";
import { Alert } from "@/components/ui/card";

function CheckResult({ check, sandbox }: { check: RedirectionCheck; sandbox: boolean }) {
  const where = sandbox ? " (sandbox, not snom)" : "";
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
  canRetry: boolean;
  /** The phone is registered as expected: the button sends it again rather than "retrying". */
  synced?: boolean;
}) {
  const [checkState, check] = useActionState(checkRedirectionAction, {});
  const [retryState, retry] = useActionState(retryPhoneAction, {});
  // A refusal (e.g. by role) comes back as a message without a check result.
  const result = checkState.data && "kind" in checkState.data ? (checkState.data as RedirectionCheck) : undefined;
  return (
    <div className="space-y-3">
      <div className="flex flex-wrap gap-2">
        <form action={check}>
          <input type="hidden" name="id" value={phoneId} />
          <SubmitButton variant="secondary" size="sm" pendingText="Asking the service…">
            Check redirection
          </SubmitButton>
        </form>
        {canRetry && (
          <form action={retry}>
            <input type="hidden" name="id" value={phoneId} />
            <SubmitButton variant="secondary" size="sm" pendingText="Queuing…">
              {synced ? "Send again" : "Retry"}
            </SubmitButton>
          </form>
        )}
      </div>
      {result && <CheckResult check={result} sandbox={sandbox} />}
      {!result && checkState.message && <Alert tone="error">{checkState.message}</Alert>}
      {retryState.message && <Alert tone={retryState.ok ? "success" : "error"}>{retryState.message}</Alert>}
    </div>
  );
}
