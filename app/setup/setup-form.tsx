"use client";
import { useActionState } from "react";
import { InputField } from "@/components/ui/field";
import { ProvisioningUrlField } from "@/components/urls/provisioning-url-field";
import { SubmitButton } from "@/components/ui/submit-button";
import { Alert } from "@/components/ui/card";
import { setupAction } from "./actions";

export function SetupForm() {
  const [state, action] = useActionState(setupAction, {});
  const v = state.values ?? {};
  const e = state.fieldErrors ?? {};
  return (
    <form action={action} className="space-y-4" noValidate>
      {state.message && (
        <Alert tone="error">
          {state.message}
          {state.data?.signIn === true && (
            <>
              {" "}
              <a href="/login" className="font-medium underline">
                Go to sign in
              </a>
            </>
          )}
        </Alert>
      )}
      <InputField label="Organization name" name="organizationName" defaultValue={v.organizationName} errors={e.organizationName} required />
      <ProvisioningUrlField
        label="Default provisioning URL (optional)"
        name="urlTemplate"
        defaultValue={v.urlTemplate}
        errors={e.urlTemplate}
        hint="Where your phones fetch their configuration. The phone replaces {mac} with its MAC and {phone_type} with its model (e.g. snomD785)."
      />
      <InputField label="Your name" name="name" defaultValue={v.name} errors={e.name} autoComplete="name" required />
      <InputField label="Your e-mail" name="email" type="email" defaultValue={v.email} errors={e.email} autoComplete="username" required />
      <InputField label="Password" name="password" type="password" errors={e.password} autoComplete="new-password" hint="At least 10 characters." required />
      <InputField label="Repeat password" name="passwordConfirm" type="password" errors={e.passwordConfirm} autoComplete="new-password" required />
      <SubmitButton pendingText="Creating…">Create organization and admin</SubmitButton>
    </form>
  );
}
