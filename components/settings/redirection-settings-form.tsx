"use client";
import { useActionState, useState } from "react";
import { redirectionSettingsAction } from "@/app/(portal)/settings/redirection/actions";
import { InputField } from "@/components/ui/field";
import { SubmitButton } from "@/components/ui/submit-button";
import { Alert } from "@/components/ui/card";

type Settings = { endpointKind: string; customUrl: string | null; username: string | null; hasPassword: boolean };

export function RedirectionSettingsForm({ settings, srapsUrl }: { settings: Settings; srapsUrl: string }) {
  const [state, action] = useActionState(redirectionSettingsAction, {});
  const [kind, setKind] = useState(state.values?.endpointKind ?? settings.endpointKind);
  const e = state.fieldErrors ?? {};
  const v = state.values ?? {};
  const options = [
    { value: "SRAPS", label: "snom SRAPS", hint: srapsUrl },
    { value: "SANDBOX", label: "Built-in sandbox", hint: "A simulator inside the portal: try everything, no real phone is redirected." },
    { value: "CUSTOM", label: "Custom URL", hint: "Another endpoint speaking the same XML-RPC API." },
  ];
  return (
    // Re-created when the saved settings change, so every field starts from what is now stored.
    <form
      key={`${settings.endpointKind}|${settings.customUrl}|${settings.username}|${settings.hasPassword}`}
      action={action}
      className="space-y-4"
      noValidate
    >
      {state.message && <Alert tone={state.ok ? "success" : "error"}>{state.message}</Alert>}
      <fieldset>
        <legend className="mb-2 text-sm font-medium text-slate-800">Where registrations go</legend>
        <div className="space-y-2">
          {options.map((o) => (
            <label key={o.value} className="flex items-start gap-2 text-sm">
              <input type="radio" name="endpointKind" value={o.value} checked={kind === o.value} onChange={() => setKind(o.value)} className="mt-1" />
              <span>
                <span className="font-medium">{o.label}</span>
                <span className="block text-xs break-all text-slate-500">{o.hint}</span>
              </span>
            </label>
          ))}
        </div>
        {e.endpointKind && <p className="text-sm text-red-700" role="alert">{e.endpointKind[0]}</p>}
      </fieldset>
      {kind === "CUSTOM" && (
        <InputField label="Endpoint URL" name="customUrl" defaultValue={v.customUrl ?? settings.customUrl ?? ""} errors={e.customUrl} placeholder="https://host:8083/xmlrpc/" />
      )}
      {kind !== "SANDBOX" && (
        <>
          <InputField label="XML-RPC username" name="username" defaultValue={v.username ?? settings.username ?? ""} errors={e.username} autoComplete="off" />
          <InputField
            label="XML-RPC password"
            name="password"
            type="password"
            autoComplete="new-password"
            errors={e.password}
            placeholder={settings.hasPassword ? "•••••••• (saved; type to replace)" : ""}
            hint={settings.hasPassword ? "A password is saved (encrypted). Leave empty to keep it." : "Stored encrypted; never shown again."}
          />
        </>
      )}
      {state.data?.offerSaveAnyway === true && (
        <label className="flex items-start gap-2 text-sm">
          <input type="checkbox" name="saveAnyway" value="yes" className="mt-1" />
          <span>Save even though the test failed (for example while the service is down for maintenance).</span>
        </label>
      )}
      <p className="text-xs text-slate-500">
        Saving a new endpoint or new credentials tests them first. A new endpoint re-registers all your phones there.
      </p>
      <div className="flex flex-wrap gap-2">
        <SubmitButton name="intent" value="save">
          Save
        </SubmitButton>
        <SubmitButton name="intent" value="test" variant="secondary" pendingText="Testing…">
          Test connection
        </SubmitButton>
      </div>
    </form>
  );
}
