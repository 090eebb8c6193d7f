import { InputField } from "@/components/ui/field";
import { MAX_LINES, UPDATE_POLICIES, type ProfileSettings } from "@/lib/provisioning/profile";

const selectClass = "block w-full rounded-md border border-slate-300 bg-white px-3 py-2 text-sm";

const PLACEHOLDER_HINT =
  "May use {mac}, {label}, {serial}, {model}, {customer_name}, {customer_number}, {organization_name}.";

/** Field name -> label of ProfileFields, for the error list. */
export const PROFILE_FIELD_LABELS: Record<string, string> = {
  name: "Profile name",
  language: "Language",
  timezone: "Time zone",
  ntpServer: "NTP server",
  httpUser: "HTTP user",
  httpPassword: "HTTP password",
  adminPassword: "Admin mode password",
  updatePolicy: "Firmware update policy",
  firmwareUrl: "Firmware URL",
  dialPlan: "Dial plan string",
  perm: "Phone users may change these settings",
  ...Object.fromEntries(
    Array.from({ length: MAX_LINES }, (_, i) => i + 1).flatMap((n) => [
      [`line${n}_sipUser`, `Line ${n} SIP user`],
      [`line${n}_authUser`, `Line ${n} auth user`],
      [`line${n}_registrar`, `Line ${n} registrar`],
      [`line${n}_displayName`, `Line ${n} display name`],
    ]),
  ),
};

/** The fields of a configuration profile; passwords are write-only (only whether one is set is known). */
export function ProfileFields({
  profile,
}: {
  profile: { name: string; settings: ProfileSettings; hasAdminPassword: boolean; hasHttpPassword: boolean };
}) {
  const s = profile.settings;
  return (
    <div className="space-y-4">
      <div className="grid gap-4 md:grid-cols-3">
        <InputField label="Profile name" name="name" defaultValue={profile.name} required />
        <InputField
          label="Language"
          name="language"
          defaultValue={s.language ?? ""}
          placeholder="English"
          hint="snom's name: English, Deutsch, Français …"
        />
        <InputField
          label="Time zone"
          name="timezone"
          defaultValue={s.timezone ?? ""}
          placeholder="GER+1"
          hint="snom's code, e.g. GER+1, USA-5."
        />
        <InputField label="NTP server" name="ntpServer" defaultValue={s.ntpServer ?? ""} placeholder="pool.ntp.org" />
        <InputField label="HTTP user (phone web interface)" name="httpUser" defaultValue={s.httpUser ?? ""} />
        <div className="space-y-1">
          <label htmlFor="perm" className="block text-sm font-medium text-slate-800">
            Phone users may change these settings
          </label>
          <select id="perm" name="perm" defaultValue={s.perm} key={s.perm} className={selectClass}>
            <option value="RW">Yes (perm=&quot;RW&quot;)</option>
            <option value="R">No, read-only (perm=&quot;R&quot;)</option>
            <option value="">Changes are not kept (perm=&quot;&quot;)</option>
          </select>
        </div>
        <InputField
          label="HTTP password (phone web interface)"
          name="httpPassword"
          type="password"
          autoComplete="new-password"
          hint={profile.hasHttpPassword ? "Set. Leave empty to keep it." : "Not set."}
        />
        <InputField
          label="Admin mode password"
          name="adminPassword"
          type="password"
          autoComplete="new-password"
          hint={profile.hasAdminPassword ? "Set. Leave empty to keep it." : "Not set."}
        />
        <div className="space-y-1 pt-6 text-sm">
          <label className="flex items-center gap-2">
            <input type="checkbox" name="clearHttpPassword" /> Remove the HTTP password
          </label>
          <label className="flex items-center gap-2">
            <input type="checkbox" name="clearAdminPassword" /> Remove the admin mode password
          </label>
        </div>
        <div className="space-y-1">
          <label htmlFor="updatePolicy" className="block text-sm font-medium text-slate-800">
            Firmware update policy
          </label>
          <select
            id="updatePolicy"
            name="updatePolicy"
            defaultValue={s.updatePolicy ?? ""}
            key={s.updatePolicy ?? ""}
            className={selectClass}
          >
            <option value="">Not set (phone default)</option>
            {UPDATE_POLICIES.map((p) => (
              <option key={p} value={p}>
                {p}
              </option>
            ))}
          </select>
        </div>
        <InputField
          label="Firmware URL"
          name="firmwareUrl"
          defaultValue={s.firmwareUrl ?? ""}
          hint={PLACEHOLDER_HINT}
        />
        <InputField
          label="Dial plan string (per line)"
          name="dialPlan"
          defaultValue={s.dialPlan ?? ""}
          hint="snom's user_dp_str."
        />
      </div>
      <label className="flex items-center gap-2 text-sm">
        <input type="checkbox" name="syslogToPortal" defaultChecked={s.syslogToPortal} /> Send the phone&apos;s system
        log to the portal
      </label>
      <fieldset className="space-y-3">
        <legend className="text-sm font-semibold">Identities (SIP accounts)</legend>
        <p className="text-xs text-slate-500">
          {PLACEHOLDER_HINT} The SIP password is set per phone (setting user_pass:1 on the phone&apos;s page).
        </p>
        {Array.from({ length: MAX_LINES }, (_, i) => {
          const line = s.lines[i];
          const n = i + 1;
          return (
            <div key={n} className="grid gap-3 md:grid-cols-4">
              <InputField label={`Line ${n} SIP user`} name={`line${n}_sipUser`} defaultValue={line?.sipUser ?? ""} />
              <InputField
                label={`Line ${n} auth user`}
                name={`line${n}_authUser`}
                defaultValue={line?.authUser ?? ""}
              />
              <InputField
                label={`Line ${n} registrar`}
                name={`line${n}_registrar`}
                defaultValue={line?.registrar ?? ""}
              />
              <InputField
                label={`Line ${n} display name`}
                name={`line${n}_displayName`}
                defaultValue={line?.displayName ?? ""}
              />
            </div>
          );
        })}
      </fieldset>
    </div>
  );
}
