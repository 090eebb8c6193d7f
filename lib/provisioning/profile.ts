// A configuration profile and how it becomes one phone's settings: profile fields -> snom setting
// names (snom wiki "Desk Phone Configuration Files", settings language, timezone, ntp_server,
// http_user/http_pass, admin_mode_password, update_policy, firmware, user_dp_str, syslog_server and
// the per-line identity user_active/user_name/user_pname/user_pass/user_host/user_realname with idx),
// then the phone's single-setting overrides on top. Pure: shared by the endpoint, the preview and tests.
import { z } from "zod";
import {
  fillPlaceholders,
  PERMS,
  SETTING_NAME,
  settingValueProblem,
  unknownPlaceholders,
  type Perm,
  type PlaceholderValues,
  type Setting,
} from "./settings-xml";

export const MAX_LINES = 4;
export const UPDATE_POLICIES = [
  "auto_update",
  "ask_for_update",
  "never_update_firm",
  "never_update_boot",
  "settings_only",
] as const;

/** Names whose values are secrets: stored encrypted, never templated, masked in the preview. */
export function isSecretSetting(name: string): boolean {
  return /pass|pwd|secret|pin/.test(name);
}

const templated = (max: number) =>
  z
    .string()
    .trim()
    .max(max, `At most ${max} characters.`)
    .refine((v) => settingValueProblem(v) === null, {
      message: "Contains control characters a settings file cannot carry.",
    })
    .refine((v) => unknownPlaceholders(v).length === 0, {
      message:
        "Unknown {placeholder}: use {mac}, {label}, {serial}, {model}, {customer_name}, {customer_number} or {organization_name}.",
    })
    .transform((v) => (v === "" ? null : v))
    .nullable()
    .default(null);

export const LineSchema = z.object({
  sipUser: templated(200),
  authUser: templated(200),
  registrar: templated(200),
  displayName: templated(200),
});
export type ProfileLine = z.infer<typeof LineSchema>;

/** The non-secret part of a profile, as stored in ProvisioningProfile.settingsJson. */
export const ProfileSettingsSchema = z.object({
  perm: z.enum(PERMS).default("RW"),
  language: templated(60),
  timezone: templated(20),
  ntpServer: templated(200),
  httpUser: templated(100),
  updatePolicy: z.enum(UPDATE_POLICIES).nullable().default(null),
  firmwareUrl: templated(500),
  dialPlan: templated(500),
  syslogToPortal: z.boolean().default(false),
  lines: z.array(LineSchema).max(MAX_LINES).default([]),
});
export type ProfileSettings = z.infer<typeof ProfileSettingsSchema>;

export function parseProfileSettings(json: string | null | undefined): ProfileSettings {
  try {
    return ProfileSettingsSchema.parse(JSON.parse(json || "{}"));
  } catch {
    return ProfileSettingsSchema.parse({});
  }
}

export type ProfileSecrets = { adminPassword: string | null; httpPassword: string | null };

/** A phone's single-setting overrides: key "name" or "name:idx" (e.g. "user_pass:1") -> value. */
export type Overrides = Record<string, string>;
export const OVERRIDE_KEY = /^([a-z][a-z0-9_]{0,63})(?::(\d{1,2}))?$/;
export const MAX_OVERRIDES = 100;

/** Why an override cannot be saved, or null. */
export function overrideProblem(key: string, value: string): string | null {
  const m = OVERRIDE_KEY.exec(key);
  if (!m || !SETTING_NAME.test(m[1])) {
    return "Setting names are lowercase letters, digits and underscores, optionally :line (e.g. user_pass:1).";
  }
  const valueProblem = settingValueProblem(value);
  if (valueProblem) return valueProblem;
  if (!isSecretSetting(m[1]) && unknownPlaceholders(value).length > 0) {
    return "Unknown {placeholder}: use {mac}, {label}, {serial}, {model}, {customer_name}, {customer_number} or {organization_name}.";
  }
  return null;
}

export function parseOverrides(json: string | null | undefined): Overrides {
  try {
    const parsed = JSON.parse(json || "{}") as unknown;
    if (!parsed || typeof parsed !== "object" || Array.isArray(parsed)) return {};
    return Object.fromEntries(
      Object.entries(parsed).filter(([k, v]) => typeof v === "string" && overrideProblem(k, v) === null),
    ) as Overrides;
  } catch {
    return {};
  }
}

const keyOf = (s: { name: string; idx?: number }) => (s.idx === undefined ? s.name : `${s.name}:${s.idx}`);

/**
 * Every setting the phone receives, in file order: the profile's, then overrides (replacing the
 * profile's setting of the same name and line). Templates are filled from `values`; secrets are taken
 * literally. `syslogTarget` ("host:port") is written when the profile sends syslog to the portal.
 */
export function composeSettings(input: {
  profile: ProfileSettings | null;
  secrets: ProfileSecrets;
  overrides: Overrides;
  values: PlaceholderValues;
  syslogTarget: string | null;
}): Setting[] {
  const { profile, secrets, overrides, values } = input;
  const perm: Perm = profile?.perm ?? "RW";
  const out: Setting[] = [];
  const add = (
    name: string,
    value: string | null | undefined,
    opts: { idx?: number; perm?: Perm; literal?: boolean } = {},
  ) => {
    if (value === null || value === undefined) return;
    out.push({
      name,
      idx: opts.idx,
      perm: opts.perm ?? perm,
      value: opts.literal ? value : fillPlaceholders(value, values),
    });
  };
  if (profile) {
    add("language", profile.language);
    add("web_language", profile.language);
    add("timezone", profile.timezone);
    add("ntp_server", profile.ntpServer);
    add("update_policy", profile.updatePolicy, { perm: "R" });
    add("firmware", profile.firmwareUrl, { perm: "R" });
    add("http_user", profile.httpUser, { perm: "R" });
    if (input.syslogTarget && profile.syslogToPortal)
      add("syslog_server", input.syslogTarget, { perm: "R", literal: true });
    profile.lines.forEach((line, i) => {
      const idx = i + 1;
      if (!line.sipUser && !line.registrar) return;
      add("user_active", "on", { idx });
      add("user_realname", line.displayName, { idx });
      add("user_name", line.sipUser, { idx });
      add("user_pname", line.authUser, { idx });
      add("user_host", line.registrar, { idx });
      add("user_dp_str", profile.dialPlan, { idx });
    });
  }
  // Passwords: read-only on the phone, so a user cannot lock the reseller out.
  add("http_pass", secrets.httpPassword, { perm: "R", literal: true });
  add("admin_mode_password", secrets.adminPassword, { perm: "R", literal: true });

  const index = new Map(out.map((s, i) => [keyOf(s), i]));
  for (const [key, value] of Object.entries(overrides).sort(([a], [b]) => a.localeCompare(b))) {
    const m = OVERRIDE_KEY.exec(key);
    if (!m) continue;
    const name = m[1];
    const idx = m[2] === undefined ? undefined : Number(m[2]);
    const secret = isSecretSetting(name);
    const setting: Setting = {
      name,
      idx,
      perm: secret ? "R" : perm,
      value: secret ? value : fillPlaceholders(value, values),
    };
    const at = index.get(key);
    if (at === undefined) {
      index.set(key, out.length);
      out.push(setting);
    } else out[at] = setting;
  }
  return out;
}

/** The same settings with every secret value replaced, for the preview in the browser. */
export function maskSecrets(settings: readonly Setting[], mask = "********"): Setting[] {
  return settings.map((s) => (isSecretSetting(s.name) && s.value !== "" ? { ...s, value: mask } : s));
}
