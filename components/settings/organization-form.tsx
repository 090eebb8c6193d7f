"use client";
import { useActionState } from "react";
import { updateOrganizationAction } from "@/app/(portal)/settings/actions";
import { InputField } from "@/components/ui/field";
import { ProvisioningUrlField } from "@/components/urls/provisioning-url-field";
import { SubmitButton } from "@/components/ui/submit-button";
import { Alert } from "@/components/ui/card";

export function OrganizationForm({ org }: { org: { name: string; urlTemplate: string | null } }) {
  const [state, action] = useActionState(updateOrganizationAction, {});
  const v: Record<string, string | null | undefined> = state.values ?? org;
  const e = state.fieldErrors ?? {};
  return (
    <form action={action} className="space-y-4" noValidate>
      {state.message && <Alert tone={state.ok ? "success" : "error"}>{state.message}</Alert>}
      <InputField label="Organization name" name="name" defaultValue={v.name ?? ""} errors={e.name} required />
      <ProvisioningUrlField
        label="Default provisioning URL template"
        name="urlTemplate"
        defaultValue={v.urlTemplate ?? ""}
        errors={e.urlTemplate}
        hint="Used for every phone without its own URL or a customer template. Changing it re-registers those phones."
      />
      <SubmitButton>Save</SubmitButton>
    </form>
  );
}
