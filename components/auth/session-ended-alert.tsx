"use client";
import { Alert } from "@/components/ui/card";
import { SESSION_ENDED_FLAG, signInAgainPath } from "@/lib/auth/session-ended";

/** Whether a form action answered that the session had ended (lib/actions/action.ts, sessionEndedState). */
export function isSessionEnded(state: { data?: Record<string, unknown> }): boolean {
  return state.data?.[SESSION_ENDED_FLAG] === true;
}

/**
 * The form's answer when it was submitted without a valid session: nothing was saved, the typed
 * values are still in the form, and a sign-in link that opens in a new tab (so this tab keeps them)
 * and leads back to this page. `again` names the button to press once signed in ("Add phone").
 * Renders nothing for any other answer.
 */
export function SessionEndedAlert({ state, again }: { state: { data?: Record<string, unknown> }; again: string }) {
  if (!isSessionEnded(state)) return null;
  const href = signInAgainPath(typeof window === "undefined" ? "/" : window.location.pathname + window.location.search);
  return (
    <Alert tone="error">
      Your session ended — nothing was saved.{" "}
      <a href={href} target="_blank" rel="noopener noreferrer" className="font-medium underline">
        Sign in again (opens in a new tab)
      </a>
      , then press “{again}” again.
    </Alert>
  );
}
