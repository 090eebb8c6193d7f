import { InputField } from "@/components/ui/field";
import { ActionForm } from "./action-form";
import { phoneOverrideAction } from "@/app/(portal)/phones/settings-actions";

/**
 * The phone's own settings on top of its profile; password values are never shown (the server
 * sends them as null). `canConfigure` (`phones:configure`, admins): without it the list is
 * read-only and no form is rendered, so a sales user cannot change the line's SIP identity.
 */
export function PhoneOverrides({
  phoneId,
  overrides,
  canConfigure,
}: {
  phoneId: string;
  overrides: { key: string; secret: boolean; value: string | null }[];
  canConfigure: boolean;
}) {
  return (
    <div className="space-y-3">
      {overrides.length > 0 ? (
        <ul className="divide-y divide-slate-100 text-sm" aria-label="Settings of this phone">
          {overrides.map((o) => (
            <li key={o.key} className="flex items-center justify-between gap-2 py-1.5">
              <span>
                <span className="font-mono">{o.key}</span> ={" "}
                {o.secret ? (
                  <span className="text-slate-500">(set, hidden)</span>
                ) : (
                  <span className="font-mono break-all">{o.value}</span>
                )}
              </span>
              {canConfigure && (
                <ActionForm
                  action={phoneOverrideAction}
                  hidden={{ intent: "remove", id: phoneId, key: o.key }}
                  submit="Remove"
                  variant="secondary"
                  className="shrink-0"
                />
              )}
            </li>
          ))}
        </ul>
      ) : (
        !canConfigure && <p className="text-sm text-slate-500">None: the profile&apos;s settings apply.</p>
      )}
      {canConfigure ? (
        <ActionForm
          action={phoneOverrideAction}
          hidden={{ intent: "set", id: phoneId }}
          submit="Set setting"
          fieldLabels={{ key: "Setting", value: "Value" }}
        >
          <div className="grid gap-3 md:grid-cols-2">
            <InputField
              label="Setting"
              name="key"
              placeholder="user_pass:1"
              hint="snom setting name, :line for per-line settings."
            />
            <InputField label="Value" name="value" type="text" autoComplete="off" />
          </div>
        </ActionForm>
      ) : (
        <p className="text-sm text-slate-600">Only admins can change a phone&apos;s settings, such as its SIP password.</p>
      )}
    </div>
  );
}
