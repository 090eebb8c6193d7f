"use client";
import { useActionState } from "react";
import { checkServiceNowAction } from "@/app/(portal)/actions";
import { SubmitButton } from "@/components/ui/submit-button";

export function CheckServiceButton() {
  const [state, action] = useActionState(checkServiceNowAction, {});
  return (
    <form action={action} className="inline-flex items-center gap-2">
      <SubmitButton size="sm" variant="secondary" pendingText="Checking…">
        Check now
      </SubmitButton>
      {state.message && (
        <span role="status" className="text-xs">
          {state.message}
        </span>
      )}
    </form>
  );
}
