"use client";
import { useActionState, type ReactNode } from "react";
import type { ActionState } from "@/lib/actions/action";
import { Alert } from "@/components/ui/card";
import { SubmitButton } from "@/components/ui/submit-button";

type Action = (prev: ActionState, formData: FormData) => Promise<ActionState>;

/**
 * A small form around one server action: hidden fields, the caller's fields, one submit button, and
 * the action's answer (its message and every field error, named) above them.
 */
export function ActionForm({
  action,
  hidden = {},
  submit,
  variant,
  className,
  children,
}: {
  action: Action;
  hidden?: Record<string, string>;
  submit: string;
  variant?: "primary" | "secondary" | "danger";
  className?: string;
  children?: ReactNode;
}) {
  const [state, dispatch] = useActionState(action, {});
  const errors = Object.entries(state.fieldErrors ?? {}).flatMap(([field, list]) =>
    (list ?? []).map((m) => `${field}: ${m}`),
  );
  return (
    <form action={dispatch} className={className ?? "space-y-3"} noValidate>
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
      <SubmitButton variant={variant}>{submit}</SubmitButton>
    </form>
  );
}
