"use client";
import { useActionState } from "react";
import { deletePhoneAction } from "@/app/(portal)/phones/actions";
import { SubmitButton } from "@/components/ui/submit-button";

export function DeletePhoneForm({ phoneId }: { phoneId: string }) {
  const [, action] = useActionState(deletePhoneAction, {});
  return (
    <form
      action={action}
      onSubmit={(e) => {
        if (!confirm("Delete this phone and deregister its MAC?")) e.preventDefault();
      }}
    >
      <input type="hidden" name="id" value={phoneId} />
      <SubmitButton variant="danger" pendingText="Deleting…">
        Delete phone
      </SubmitButton>
    </form>
  );
}
