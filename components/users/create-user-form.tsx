"use client";
import { useActionState, useEffect, useRef } from "react";
import { createUserAction } from "@/app/(portal)/users/actions";
import { InputField, SelectField } from "@/components/ui/field";
import { SubmitButton } from "@/components/ui/submit-button";
import { Alert } from "@/components/ui/card";
import { SessionEndedAlert, isSessionEnded } from "@/components/auth/session-ended-alert";
import { useUntouchedResubmitGuard } from "@/components/ui/use-untouched-resubmit-guard";

export function CreateUserForm() {
  const [state, action] = useActionState(createUserAction, {});
  const ref = useRef<HTMLFormElement>(null);
  useEffect(() => {
    if (state.ok) ref.current?.reset();
  }, [state]);
  const guard = useUntouchedResubmitGuard(state);
  const v = state.ok ? {} : (state.values ?? {});
  const e = state.fieldErrors ?? {};
  return (
    <form ref={ref} action={action} {...guard} className="space-y-4" noValidate>
      <SessionEndedAlert state={state} again="Add user" />
      {state.message && !isSessionEnded(state) && <Alert tone={state.ok ? "success" : "error"}>{state.message}</Alert>}
      <div className="grid gap-4 sm:grid-cols-2">
        <InputField label="Name" name="name" defaultValue={v.name} errors={e.name} required />
        <InputField label="E-mail" name="email" type="email" defaultValue={v.email} errors={e.email} required />
        <SelectField label="Role" name="role" required defaultValue={v.role ?? "SALES"} errors={e.role} hint="Sales manage customers and phones; admins also manage users and settings.">
          <option value="SALES">Sales</option>
          <option value="ADMIN">Admin</option>
        </SelectField>
        <InputField label="Initial password" name="password" type="password" autoComplete="new-password" errors={e.password} hint="At least 10 characters; the user must choose their own password at first sign-in." required />
      </div>
      <SubmitButton pendingText="Adding…">Add user</SubmitButton>
    </form>
  );
}
