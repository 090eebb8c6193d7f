"use client";
import Link from "next/link";
import { useActionState, useEffect, useRef, useState } from "react";
import { createPhoneAction } from "@/app/(portal)/phones/actions";
import { InputField } from "@/components/ui/field";
import { ProvisioningUrlField } from "@/components/urls/provisioning-url-field";
import { SubmitButton } from "@/components/ui/submit-button";
import { Alert } from "@/components/ui/card";
import { SessionEndedAlert, isSessionEnded } from "@/components/auth/session-ended-alert";
import { useUntouchedResubmitGuard } from "@/components/ui/use-untouched-resubmit-guard";

export function AddPhoneForm({ customerId }: { customerId: string }) {
  const [state, action] = useActionState(createPhoneAction, {});
  const formRef = useRef<HTMLFormElement>(null);
  const macRef = useRef<HTMLInputElement>(null);
  const confirmMac = state.data?.confirmMac as string | undefined;
  const existingPhoneId = state.data?.existingPhoneId as string | undefined;
  const sameCustomer = state.data?.sameCustomer === true;
  // The confirmation covers the MAC that was warned about, and only while the field still holds it.
  const [typedAfterWarning, setTypedAfterWarning] = useState(false);
  const [answered, setAnswered] = useState(state);
  if (answered !== state) {
    setAnswered(state);
    setTypedAfterWarning(false);
  }
  const guard = useUntouchedResubmitGuard(state);
  const v = state.ok ? {} : (state.values ?? {});
  const e = state.fieldErrors ?? {};

  useEffect(() => {
    if (state.ok) formRef.current?.reset();
    macRef.current?.focus();
  }, [state]);

  return (
    <form ref={formRef} action={action} {...guard} className="space-y-3" noValidate>
      <input type="hidden" name="customerId" value={customerId} />
      {state.ok && <Alert tone="success">{state.message}</Alert>}
      {confirmMac && !typedAfterWarning && (
        <Alert tone="warning">
          {state.message}
          <input type="hidden" name="confirmNonSnom" value={confirmMac} />
          <span className="mt-1 block">Press “Add phone” again to confirm.</span>
        </Alert>
      )}
      <SessionEndedAlert state={state} again="Add phone" />
      {!state.ok && !confirmMac && state.message && !e.mac && !isSessionEnded(state) && (
        <Alert tone="error">{state.message}</Alert>
      )}
      <div className="grid gap-3 sm:grid-cols-2 lg:grid-cols-5">
        <InputField
          ref={macRef}
          label="MAC address"
          name="mac"
          defaultValue={confirmMac ?? v.mac}
          errors={e.mac}
          placeholder="00:04:13:AA:BB:CC"
          autoComplete="off"
          spellCheck={false}
          onChange={() => setTypedAfterWarning(true)}
          // The way out of "already in the portal" sits with that reason, below the field.
          afterErrors={
            existingPhoneId && (
              <p className="text-sm" data-testid="existing-phone-link">
                <Link className="text-sky-700 underline" href={`/phones/${existingPhoneId}`}>
                  Open that phone
                </Link>{" "}
                {sameCustomer ? "to see it." : "to see it or move it to this customer."}
              </p>
            )
          }
          required
          className="lg:col-span-2"
        />
        <InputField label="Label" name="label" defaultValue={v.label} errors={e.label} placeholder="e.g. Reception" />
        <InputField label="Model" name="model" defaultValue={v.model} errors={e.model} placeholder="D785" />
        <InputField label="Serial number" name="serial" defaultValue={v.serial} errors={e.serial} />
      </div>
      <ProvisioningUrlField
        label="URL override (optional)"
        name="urlOverride"
        defaultValue={v.urlOverride}
        errors={e.urlOverride}
      />
      <SubmitButton pendingText="Adding…">Add phone</SubmitButton>
    </form>
  );
}
