"use client";
import { useFormStatus } from "react-dom";
import { LoaderCircle } from "lucide-react";
import type { ComponentProps } from "react";
import { Button } from "./button";

/**
 * A submit button that shows and announces the pending state of its form. `pending` overrides the
 * form status, for forms that dispatch their action from onSubmit (no `<form action>`).
 */
export function SubmitButton({
  children,
  pendingText,
  pending: pendingProp,
  ...props
}: ComponentProps<typeof Button> & { pendingText?: string; pending?: boolean }) {
  const status = useFormStatus();
  const pending = pendingProp ?? status.pending;
  return (
    <Button type="submit" disabled={pending || props.disabled} aria-disabled={pending} {...props}>
      {pending && <LoaderCircle className="size-4 animate-spin" aria-hidden />}
      <span aria-live="polite">{pending ? (pendingText ?? "Saving…") : children}</span>
    </Button>
  );
}
