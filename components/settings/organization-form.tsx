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
  const confirmRequeue = state.data?.confirmRequeue as number | undefined;
  return (
    <form action={action} className="space-y-4" noValidate>
      {state.message && (
        <Alert tone={state.ok ? "success" : confirmRequeue ? "warning" : "error"}>{state.message}</Alert>
      )}
      {/* The confirmation holds only for the count and URL it names; any other change asks again. */}
      {confirmRequeue !== undefined && (
        <>
          <input type="hidden" name="confirmRequeue" value={confirmRequeue} />
          <input type="hidden" name="confirmedUrl" value={String(state.data?.confirmedUrl ?? "")} />
        </>
      )}
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
