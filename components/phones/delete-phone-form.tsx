"use client";
import { useActionState } from "react";
import { deletePhoneAction } from "@/app/(portal)/phones/actions";
import { SubmitButton } from "@/components/ui/submit-button";
import { Alert } from "@/components/ui/card";

export function DeletePhoneForm({ phoneId }: { phoneId: string }) {
  const [state, action] = useActionState(deletePhoneAction, {});
  return (
    <form
      action={action}
      onSubmit={(e) => {
        if (!confirm("Delete this phone and deregister its MAC?")) e.preventDefault();
      }}
    >
      {state.message && (
        <Alert tone="error" className="mb-3">
          {state.message}
        </Alert>
      )}
      <input type="hidden" name="id" value={phoneId} />
      <SubmitButton variant="danger" pendingText="Deleting…">
        Delete phone
      </SubmitButton>
    </form>
  );
}
