// snom's XML settings file: <settings><phone-settings><name idx=".." perm="..">value</name>…
// (snom wiki "Desk Phone Configuration Files" and "<phone-settings> tag"). Built with xmlbuilder2,
// which escapes text and attributes; pure, shared by the endpoint, the preview and tests.
import { create } from "xmlbuilder2";

/** snom's permission flags: "" = phone keeps no user change, "R" = read-only on the phone, "RW" = the user may change it. */
export const PERMS = ["", "R", "RW"] as const;
export type Perm = (typeof PERMS)[number];

export type Setting = { name: string; idx?: number; perm: Perm; value: string };

/** Setting names are XML element names in snom's files: lowercase letters, digits, underscores. */
export const SETTING_NAME = /^[a-z][a-z0-9_]{0,63}$/;
const MAX_VALUE = 2000;
// Characters XML 1.0 cannot carry at all (even escaped).
const INVALID_XML_CHARS = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]/;

/** Why a value cannot go into a settings file, or null when it can. */
export function settingValueProblem(value: string): string | null {
  if (value.length > MAX_VALUE) return `At most ${MAX_VALUE} characters.`;
  if (INVALID_XML_CHARS.test(value)) return "Contains control characters a settings file cannot carry.";
  return null;
}

export class SettingsXmlError extends Error {}

/** The file a phone receives. Throws SettingsXmlError for a bad name or value (validated on save, so never expected). */
export function buildSettingsXml(settings: readonly Setting[]): string {
  const doc = create({ version: "1.0", encoding: "utf-8" });
  const phoneSettings = doc.ele("settings").ele("phone-settings", { e: "2" });
  for (const s of settings) {
    if (!SETTING_NAME.test(s.name)) throw new SettingsXmlError(`Not a snom setting name: ${JSON.stringify(s.name)}`);
    const problem = settingValueProblem(s.value);
    if (problem) throw new SettingsXmlError(`${s.name}: ${problem}`);
    const attrs: Record<string, string> = {};
    if (s.idx !== undefined) attrs.idx = String(s.idx);
    attrs.perm = s.perm;
    phoneSettings.ele(s.name, attrs).txt(s.value);
  }
  return doc.end({ prettyPrint: true }) + "\n";
}

/** Fields a value may name as {placeholder}. `{mac}` is the phone's MAC (12 uppercase hex digits). */
export const PLACEHOLDERS = [
  "mac",
  "label",
  "serial",
  "model",
  "customer_name",
  "customer_number",
  "organization_name",
] as const;
export type Placeholder = (typeof PLACEHOLDERS)[number];
export type PlaceholderValues = Record<Placeholder, string>;

const PLACEHOLDER = /\{([^{}]*)\}/g;

/** Placeholders in `template` that are not in PLACEHOLDERS (for a clear validation error). */
export function unknownPlaceholders(template: string): string[] {
  return [...template.matchAll(PLACEHOLDER)]
    .map((m) => m[1])
    .filter((n) => !(PLACEHOLDERS as readonly string[]).includes(n));
}

/** Replaces every {placeholder}; an empty field becomes "". Unknown ones stay as written (rejected on save). */
export function fillPlaceholders(template: string, values: PlaceholderValues): string {
  return template.replace(PLACEHOLDER, (whole, name: string) =>
    (PLACEHOLDERS as readonly string[]).includes(name) ? values[name as Placeholder] : whole,
  );
}
