"use client";
// A provisioning URL input that checks what is typed with the same function the server uses
// (lib/urls.ts), when the field is left and then on every change, so a %7Bmac%7D or a stray space is
// explained before the form is sent. The server checks again; its errors show until the user edits.
import { useState, type ComponentProps } from "react";
import { InputField } from "@/components/ui/field";
import { checkProvisioningUrl, trimUrlInput } from "@/lib/urls";

export const PROVISIONING_URL_EXAMPLE = "https://prov.example.net/snom/{mac}.xml";

function clientError(value: string): string | null {
  const trimmed = trimUrlInput(value);
  if (trimmed === "") return null;
  const check = checkProvisioningUrl(trimmed);
  return check.ok ? null : check.message;
}

export function ProvisioningUrlField({
  errors,
  onBlur,
  onChange,
  ...props
}: Omit<ComponentProps<typeof InputField>, "type">) {
  const [checked, setChecked] = useState<{ error: string | null } | null>(null);
  // A new answer from the server (the form was sent) replaces what was checked while typing.
  const [serverErrors, setServerErrors] = useState(errors);
  if (errors !== serverErrors) {
    setServerErrors(errors);
    setChecked(null);
  }
  const shown = checked ? (checked.error ? [checked.error] : undefined) : errors;
  return (
    <InputField
      placeholder={PROVISIONING_URL_EXAMPLE}
      {...props}
      type="text"
      inputMode="url"
      spellCheck={false}
      autoCapitalize="off"
      autoCorrect="off"
      errors={shown}
      onBlur={(e) => {
        setChecked({ error: clientError(e.currentTarget.value) });
        onBlur?.(e);
      }}
      onChange={(e) => {
        if (checked) setChecked({ error: clientError(e.currentTarget.value) });
        onChange?.(e);
      }}
    />
  );
}
