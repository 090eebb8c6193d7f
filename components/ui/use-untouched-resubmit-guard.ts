"use client";
import { useEffect, useRef, type FormEvent } from "react";

/**
 * For a form that empties itself after a success (add phone, create user): a submit before anything
 * was typed again — a double tap on the button — is ignored, so the success message stays instead of
 * being replaced by "Enter a MAC address." (the user would believe the add failed). Any input after
 * the success, or any answer that was not a success, lets submits through as usual.
 * Spread the returned handlers on the `<form>`; `state` is the form's action state.
 */
export function useUntouchedResubmitGuard(state: { ok?: boolean }) {
  const touched = useRef(false);
  useEffect(() => {
    touched.current = false;
  }, [state]);
  return {
    onInput: () => {
      touched.current = true;
    },
    onSubmit: (e: FormEvent<HTMLFormElement>) => {
      if (state.ok && !touched.current) e.preventDefault();
    },
  };
}
