"use client";
import { useActionState } from "react";
import { changePasswordAction } from "@/app/(portal)/settings/actions";
import { InputField } from "@/components/ui/field";
import { SubmitButton } from "@/components/ui/submit-button";
import { Alert } from "@/components/ui/card";

/**
 * Change one's own password (Settings, and /change-password for a password someone else chose).
 * `currentLabel` names the current password as the page words it.
 */
export function PasswordForm({ currentLabel = "Current password" }: { currentLabel?: string }) {
  const [state, action] = useActionState(changePasswordAction, {});
  const e = state.fieldErrors ?? {};
  return (
    <form action={action} className="space-y-4" noValidate key={state.ok ? "done" : "form"}>
      {state.message && <Alert tone={state.ok ? "success" : "error"}>{state.message}</Alert>}
      <InputField label={currentLabel} name="currentPassword" type="password" autoComplete="current-password" errors={e.currentPassword} required />
      <InputField label="New password" name="newPassword" type="password" autoComplete="new-password" errors={e.newPassword} hint="At least 10 characters." required />
      <InputField label="Repeat new password" name="newPasswordConfirm" type="password" autoComplete="new-password" errors={e.newPasswordConfirm} required />
      <SubmitButton>Change password</SubmitButton>
    </form>
  );
}
