"use client";
import { startTransition, useActionState, useEffect, useRef, type FormEvent, type ReactNode } from "react";
import type { ActionState } from "@/lib/actions/action";
import { Alert } from "@/components/ui/card";
import { SubmitButton } from "@/components/ui/submit-button";

type Action = (prev: ActionState, formData: FormData) => Promise<ActionState>;

/**
 * A small form around one server action: hidden fields, the caller's fields, one submit button, and
 * the action's answer (its message and every field error, by its label) above them. Dispatched from
 * onSubmit, so React does not reset the fields: after an error the user's input stays; after success
 * the form is reset to the refreshed page's values.
 */
export function ActionForm({
  action,
  hidden = {},
  submit,
  variant,
  className,
  fieldLabels = {},
  confirm,
  children,
}: {
  action: Action;
  hidden?: Record<string, string>;
  submit: string;
  variant?: "primary" | "secondary" | "danger";
  className?: string;
  /** Field name -> label, for the error list. */
  fieldLabels?: Record<string, string>;
  /** Asked before sending (the browser's dialog), for actions that change many phones at the service. */
  confirm?: string;
  children?: ReactNode;
}) {
  const [state, dispatch, pending] = useActionState(action, {});
  const form = useRef<HTMLFormElement>(null);
  useEffect(() => {
    if (state.ok) form.current?.reset();
  }, [state]);
  const onSubmit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    if (confirm && !window.confirm(confirm)) return;
    const data = new FormData(event.currentTarget);
    startTransition(() => dispatch(data));
  };
  const errors = Object.entries(state.fieldErrors ?? {}).flatMap(([field, list]) =>
    (list ?? []).map((m) => `${fieldLabels[field] ?? field}: ${m}`),
  );
  return (
    <form ref={form} onSubmit={onSubmit} className={className ?? "space-y-3"} noValidate>
      {state.message && (
        <Alert tone={state.ok ? "success" : "error"}>
          {state.message}
          {errors.length > 0 && (
            <ul className="mt-1 list-disc pl-5">
              {errors.map((e) => (
                <li key={e}>{e}</li>
              ))}
            </ul>
          )}
        </Alert>
      )}
      {Object.entries(hidden).map(([name, value]) => (
        <input key={name} type="hidden" name={name} value={value} />
      ))}
      {children}
      <SubmitButton variant={variant} pending={pending}>
        {submit}
      </SubmitButton>
    </form>
  );
}
