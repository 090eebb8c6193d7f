"use client";
import { startTransition, useActionState, useState, type FormEvent } from "react";
import { redirectionSettingsAction } from "@/app/(portal)/settings/redirection/actions";
import { InputField } from "@/components/ui/field";
import { SubmitButton } from "@/components/ui/submit-button";
import { Alert } from "@/components/ui/card";
import type { ActionState } from "@/lib/actions/action";

type Settings = { endpointKind: string; customUrl: string | null; username: string | null; hasPassword: boolean };

/**
 * The redirection settings form. Every field is client state and the action is dispatched from
 * onSubmit, not through `<form action>`: React 19 resets a form after its action, which snapped the
 * radio back to the saved endpoint while the fields still showed the typed one, so Save stored
 * something else than what the form showed. Now the fields keep what the user chose or typed, after
 * success and after errors, and Save submits exactly that. The typed password stays in this
 * browser's state across Test (it is never sent back by the server; the stored one never reaches
 * the browser) and is cleared once saved.
 */
/** How the sandbox option is named and explained (built-in or shared, describeSandbox). */
export type SandboxWords = { label: string; hint: string };

export function RedirectionSettingsForm({
  settings,
  srapsUrl,
  sandbox,
}: {
  settings: Settings;
  srapsUrl: string;
  sandbox: SandboxWords;
}) {
  const [state, dispatch, pending] = useActionState(redirectionSettingsAction, {});
  const [intent, setIntent] = useState<string | null>(null);
  // A save that stored the settings starts a fresh form from what is now stored.
  const savedKey = state.ok && state.data?.saved ? String(state.data.saved) : "";
  return (
    <SettingsFields
      key={`${settings.endpointKind}|${settings.customUrl}|${settings.username}|${settings.hasPassword}|${savedKey}`}
      settings={settings}
      srapsUrl={srapsUrl}
      sandbox={sandbox}
      state={state}
      pending={pending}
      pendingIntent={intent}
      onSubmit={(formData, submitted) => {
        setIntent(submitted);
        startTransition(() => dispatch(formData));
      }}
    />
  );
}

function SettingsFields({
  settings,
  srapsUrl,
  sandbox,
  state,
  pending,
  pendingIntent,
  onSubmit,
}: {
  settings: Settings;
  srapsUrl: string;
  sandbox: SandboxWords;
  state: ActionState;
  pending: boolean;
  pendingIntent: string | null;
  onSubmit: (formData: FormData, intent: string | null) => void;
}) {
  const [kind, setKind] = useState(settings.endpointKind);
  const [customUrl, setCustomUrl] = useState(settings.customUrl ?? "");
  const [username, setUsername] = useState(settings.username ?? "");
  const [password, setPassword] = useState("");
  const [saveAnyway, setSaveAnyway] = useState(false);
  const e = state.fieldErrors ?? {};
  const options = [
    { value: "SRAPS", label: "snom SRAPS", hint: srapsUrl },
    {
      value: "SANDBOX",
      label: sandbox.label,
      hint: sandbox.hint,
    },
    { value: "CUSTOM", label: "Custom URL", hint: "Another endpoint speaking the same XML-RPC API." },
  ];

  function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const submitter = (event.nativeEvent as SubmitEvent).submitter;
    const formData = new FormData(event.currentTarget, submitter);
    onSubmit(formData, submitter?.getAttribute("value") ?? null);
  }

  return (
    <form onSubmit={submit} className="space-y-4" noValidate>
      {state.message && <Alert tone={state.ok ? "success" : "error"}>{state.message}</Alert>}
      <fieldset>
        <legend className="mb-2 text-sm font-medium text-slate-800">Where registrations go</legend>
        <div className="space-y-2">
          {options.map((o) => (
            <label key={o.value} className="flex items-start gap-2 text-sm">
              <input
                type="radio"
                name="endpointKind"
                value={o.value}
                checked={kind === o.value}
                onChange={() => setKind(o.value)}
                className="mt-1"
              />
              <span>
                <span className="font-medium">{o.label}</span>
                <span className="block text-xs break-all text-slate-500">{o.hint}</span>
              </span>
            </label>
          ))}
        </div>
        {e.endpointKind && (
          <p className="text-sm text-red-700" role="alert">
            {e.endpointKind[0]}
          </p>
        )}
      </fieldset>
      {kind === "CUSTOM" && (
        <InputField
          label="Endpoint URL"
          name="customUrl"
          value={customUrl}
          onChange={(ev) => setCustomUrl(ev.target.value)}
          errors={e.customUrl}
          placeholder="https://host:8083/xmlrpc/"
        />
      )}
      {kind !== "SANDBOX" && (
        <>
          <InputField
            label="XML-RPC username"
            name="username"
            value={username}
            onChange={(ev) => setUsername(ev.target.value)}
            errors={e.username}
            autoComplete="off"
          />
          <InputField
            label="XML-RPC password"
            name="password"
            type="password"
            autoComplete="new-password"
            value={password}
            onChange={(ev) => setPassword(ev.target.value)}
            errors={e.password}
            placeholder={settings.hasPassword ? "•••••••• (saved; type to replace)" : ""}
            hint={
              settings.hasPassword
                ? "A password is saved (encrypted). Leave empty to keep it; a new endpoint or username needs it typed again."
                : "Stored encrypted; never shown again."
            }
          />
        </>
      )}
      {state.data?.offerSaveAnyway === true && (
        <label className="flex items-start gap-2 text-sm">
          <input
            type="checkbox"
            name="saveAnyway"
            value="yes"
            checked={saveAnyway}
            onChange={(ev) => setSaveAnyway(ev.target.checked)}
            className="mt-1"
          />
          <span>Save even though the test failed (for example while the service is down for maintenance).</span>
        </label>
      )}
      <p className="text-xs text-slate-500">
        Saving a new endpoint or new credentials tests them first. A new endpoint re-registers all your phones there.
      </p>
      <div className="flex flex-wrap gap-2">
        <SubmitButton name="intent" value="save" pending={pending && pendingIntent === "save"} disabled={pending}>
          Save
        </SubmitButton>
        <SubmitButton
          name="intent"
          value="test"
          variant="secondary"
          pendingText="Testing…"
          pending={pending && pendingIntent === "test"}
          disabled={pending}
        >
          Test connection
        </SubmitButton>
      </div>
    </form>
  );
}
