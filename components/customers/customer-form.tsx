"use client";
import { useActionState } from "react";
import type { ActionState } from "@/lib/actions/action";
import type { CustomerInput } from "@/lib/data/customers";
import { InputField, TextareaField } from "@/components/ui/field";
import { ProvisioningUrlField } from "@/components/urls/provisioning-url-field";
import { SubmitButton } from "@/components/ui/submit-button";
import { Alert } from "@/components/ui/card";
import { SessionEndedAlert, isSessionEnded } from "@/components/auth/session-ended-alert";

type Customer = CustomerInput & { id: string };

export function CustomerForm({
  action,
  customer,
  submitLabel,
}: {
  action: (prev: ActionState, fd: FormData) => Promise<ActionState>;
  customer?: Customer;
  submitLabel: string;
}) {
  const [state, formAction] = useActionState(action, {});
  const v: Record<string, string | null | undefined> = state.values ?? customer ?? {};
  const e = state.fieldErrors ?? {};
  return (
    <form action={formAction} className="space-y-4" noValidate>
      <SessionEndedAlert state={state} again={submitLabel} />
      {state.message && !isSessionEnded(state) && <Alert tone="error">{state.message}</Alert>}
      {customer && <input type="hidden" name="id" value={customer.id} />}
      <div className="grid gap-4 sm:grid-cols-2">
        <InputField label="Name" name="name" defaultValue={v.name ?? ""} errors={e.name} required />
        <InputField label="Customer number" name="number" defaultValue={v.number ?? ""} errors={e.number} required hint="Unique within your organization." />
        <InputField label="Contact name" name="contactName" defaultValue={v.contactName ?? ""} errors={e.contactName} />
        <InputField label="Contact e-mail" name="contactEmail" type="email" defaultValue={v.contactEmail ?? ""} errors={e.contactEmail} />
        <InputField label="Contact phone" name="contactPhone" type="tel" defaultValue={v.contactPhone ?? ""} errors={e.contactPhone} />
        <ProvisioningUrlField
          label="Provisioning URL template (optional)"
          name="urlTemplate"
          defaultValue={v.urlTemplate ?? ""}
          errors={e.urlTemplate}
          hint="Overrides the organization's default for this customer's phones."
        />
      </div>
      <TextareaField label="Notes" name="notes" rows={3} defaultValue={v.notes ?? ""} errors={e.notes} />
      <SubmitButton>{submitLabel}</SubmitButton>
    </form>
  );
}
