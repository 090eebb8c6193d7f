"use client";
import { useActionState } from "react";
import { updatePhoneAction } from "@/app/(portal)/phones/actions";
import { InputField, SelectField } from "@/components/ui/field";
import { ProvisioningUrlField } from "@/components/urls/provisioning-url-field";
import { SubmitButton } from "@/components/ui/submit-button";
import { Alert } from "@/components/ui/card";

type Phone = {
  id: string;
  label: string | null;
  model: string | null;
  serial: string | null;
  urlOverride: string | null;
  customerId: string;
};

export function EditPhoneForm({ phone, customers }: { phone: Phone; customers: { id: string; name: string; number: string }[] }) {
  const [state, action] = useActionState(updatePhoneAction, {});
  const v: Record<string, string | null | undefined> = state.values ?? phone;
  const e = state.fieldErrors ?? {};
  return (
    <form action={action} className="space-y-4" noValidate>
      {state.message && <Alert tone="error">{state.message}</Alert>}
      <input type="hidden" name="id" value={phone.id} />
      <div className="grid gap-4 sm:grid-cols-2">
        <SelectField
          key={v.customerId ?? ""}
          label="Customer"
          name="customerId"
          defaultValue={v.customerId ?? ""} errors={e.customerId} hint="Moving a phone re-registers it with the new customer's URL.">
          {customers.map((c) => (
            <option key={c.id} value={c.id}>
              {c.name} ({c.number})
            </option>
          ))}
        </SelectField>
        <InputField label="Label" name="label" defaultValue={v.label ?? ""} errors={e.label} />
        <InputField label="Model" name="model" defaultValue={v.model ?? ""} errors={e.model} />
        <InputField label="Serial number" name="serial" defaultValue={v.serial ?? ""} errors={e.serial} />
      </div>
      <ProvisioningUrlField
        label="URL override (optional)"
        name="urlOverride"
        defaultValue={v.urlOverride ?? ""}
        errors={e.urlOverride}
        hint="Leave empty to use the customer's or the organization's URL."
      />
      <SubmitButton>Save changes</SubmitButton>
    </form>
  );
}
