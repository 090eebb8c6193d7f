// Provisioning URLs as the redirection service takes them and snom phones use them: http(s), plain
// text, the phone's variables kept verbatim. The one validator for organization, customer and phone
// forms (server and browser), the file import and the CLI. Pure: no server imports.
import { describeCodePoint } from "./mac";

/**
 * The variables a snom phone replaces in `setting_server` (the URL the redirection service hands
 * it) before fetching, written in curly brackets and lowercase. Source: snom's wiki, "Auto
 * Provisioning" (service.snom.com/display/wiki/Auto+Provisioning), "replacement variables … syntax:
 * {variable}": `mac` (the setting mac, e.g. 000413920A74) and `phone_type` (the setting phone_type,
 * e.g. snomD735). Anything else in curly brackets reaches the provisioning server literally.
 */
export const URL_VARIABLES = ["mac", "phone_type"] as const;

export const MAC_PLACEHOLDER = "{mac}";

const SAMPLE_VALUES: Record<(typeof URL_VARIABLES)[number], string> = { mac: "000413000000", phone_type: "snomD785" };

const ALLOWED_LIST = URL_VARIABLES.map((v) => `{${v}}`).join(" and ");

export type UrlRejection =
  | "empty"
  | "invisible_character"
  | "whitespace"
  | "backslash"
  | "scheme"
  | "credentials"
  | "encoded_placeholder"
  | "unknown_placeholder"
  | "unbalanced_brace"
  | "malformed";

export type UrlCheck = { ok: true } | { ok: false; reason: UrlRejection; message: string };

/** Hide the password of a `user:password@` part before any text of the URL is shown. */
function redact(text: string): string {
  return text.replace(/(\/\/[^/@\s]*?):[^/@\s]*@/, "$1:…@");
}

/** “…” around what comes before position `index`, or "at the start". */
function after(value: string, index: number): string {
  return index === 0 ? "at the start" : `after “${redact(value.slice(0, index))}”`;
}

/**
 * Check a provisioning URL (or template) as typed, already trimmed of surrounding whitespace.
 * Refused, each with its own message: invisible characters and whitespace anywhere, backslashes,
 * anything but `http://` / `https://` followed by a host (so `https:/host` and `https:///host`,
 * which browsers quietly repair but phones do not), `user:password@` (the service stores and shows
 * the URL; the password is never echoed), percent-encoded braces (`%7Bmac%7D` is not replaced by the
 * phone), curly-bracket variables other than those in `URL_VARIABLES`, unbalanced braces.
 */
export function checkProvisioningUrl(value: string): UrlCheck {
  const fail = (reason: UrlRejection, message: string): UrlCheck => ({ ok: false, reason, message });
  if (value === "") return fail("empty", "Enter a URL.");

  for (let i = 0; i < value.length; i++) {
    const ch = value[i];
    if (/[\p{Cf}\p{Cc}\u2028\u2029]/u.test(ch) && !/[\t\n\r]/.test(ch)) {
      return fail(
        "invisible_character",
        `The URL contains an invisible character ${describeCodePoint(ch)} ${after(value, i)}: delete it or type the URL again.`,
      );
    }
    if (/\s/.test(ch)) {
      const what =
        ch === " "
          ? "a space"
          : ch === "\t"
            ? "a tab"
            : /[\r\n]/.test(ch)
              ? "a line break"
              : `a space character ${describeCodePoint(ch)}`;
      return fail(
        "whitespace",
        `The URL contains ${what} ${after(value, i)}: a URL has no spaces (write %20 if the server really needs one).`,
      );
    }
  }
  const backslash = value.indexOf("\\");
  if (backslash !== -1) {
    return fail(
      "backslash",
      `The URL contains a backslash (\\) ${after(value, backslash)}: URLs use forward slashes (/).`,
    );
  }

  let scheme = value.match(/^([a-z][a-z0-9+.-]*):/i);
  // "prov.example.net:8080/…" or "localhost:8080": a host and port, not a scheme.
  if (scheme && (scheme[1].includes(".") || /^\d/.test(value.slice(scheme[0].length)))) scheme = null;
  if (!scheme || !/^https?$/i.test(scheme[1])) {
    return fail(
      "scheme",
      scheme
        ? `“${scheme[1]}:” is not a scheme snom phones provision over: the URL must start with http:// or https://.`
        : "The URL must start with http:// or https://, e.g. https://prov.example.net/snom/{mac}.xml.",
    );
  }
  const rest = value.slice(scheme[0].length);
  if (!rest.startsWith("//")) {
    return fail(
      "scheme",
      `“${scheme[0]}” must be followed by two slashes: ${scheme[0]}//${rest.replace(/^\/?/, "")} (a browser repairs this, a phone does not).`,
    );
  }
  if (rest.startsWith("///")) {
    return fail(
      "scheme",
      `“${scheme[0]}” is followed by three slashes; write ${scheme[0]}//${rest.replace(/^\/+/, "")}.`,
    );
  }

  const authority = rest.slice(2).split(/[/?#]/, 1)[0];
  if (authority.includes("@")) {
    return fail(
      "credentials",
      "The URL contains a user name and password (“…@” before the host): the redirection service stores and shows the URL as it is, so credentials do not belong in it. Protect the provisioning server another way (client certificates, or credentials set on the phone).",
    );
  }

  const encoded = value.match(/%7[BD]/i);
  if (encoded) {
    const whole = value.match(/%7B(.*?)%7D/i);
    return fail(
      "encoded_placeholder",
      `The URL contains “${whole ? whole[0] : encoded[0]}”, a percent-encoded ${whole ? `{${decodeSafely(whole[1])}}` : "curly bracket"}: the phone replaces only the literal ${ALLOWED_LIST}, so write them with plain curly brackets.`,
    );
  }

  let depth = 0;
  for (let i = 0; i < value.length; i++) {
    if (value[i] === "{") depth++;
    else if (value[i] === "}") depth--;
    if (depth < 0 || depth > 1) {
      return fail("unbalanced_brace", `The URL has a “${value[i]}” without its partner ${after(value, i)}.`);
    }
  }
  if (depth !== 0) return fail("unbalanced_brace", `The URL has a “{” without “}”.`);

  for (const m of value.matchAll(/\{([^}]*)\}/g)) {
    if (!(URL_VARIABLES as readonly string[]).includes(m[1])) {
      const hint = (URL_VARIABLES as readonly string[]).includes(m[1].toLowerCase())
        ? ` (write it lowercase: {${m[1].toLowerCase()}})`
        : "";
      return fail(
        "unknown_placeholder",
        `“${m[0]}” is not a variable snom phones replace${hint}; they replace only ${ALLOWED_LIST}.`,
      );
    }
  }

  let parsed: URL;
  try {
    parsed = new URL(value.replace(/\{(\w+)\}/g, (_, name: keyof typeof SAMPLE_VALUES) => SAMPLE_VALUES[name]));
  } catch {
    return fail("malformed", `“${redact(value)}” is not a valid URL: check the host name and the port.`);
  }
  if (parsed.hostname === "") return fail("malformed", "The URL has no host name after the two slashes.");
  return { ok: true };
}

function decodeSafely(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}

/**
 * Forms and files trim a URL before checking it, but only of ASCII spaces, tabs and line breaks:
 * a no-break space or a BOM at either end is an invisible character the checker names.
 */
export function trimUrlInput(value: string): string {
  return value.replace(/^[ \t\r\n]+|[ \t\r\n]+$/g, "");
}

export function isProvisioningUrl(value: string): boolean {
  return checkProvisioningUrl(value).ok;
}

/**
 * The host (with port) of a provisioning URL template for a sentence such as "gets its
 * configuration from prov.example.net"; never the user info. A template that is not a URL is
 * returned as typed, cut to 80 characters.
 */
export function urlHost(url: string): string {
  try {
    return new URL(url).host || url.slice(0, 80);
  } catch {
    return url.slice(0, 80);
  }
}

/** What stands for the organization's provisioning token in a URL shown to a role that may not see it. */
export const MASKED_TOKEN = "••••••";

/**
 * A provisioning URL (or any text holding one: a history row, an error text) as a role without
 * `phones:configure` may see it (docs/decisions/0017-phone-settings-admins-only.md): every
 * occurrence of the organization's provisioning `token` (32 base64url characters, so it never
 * matches by chance) becomes MASKED_TOKEN, and the `user:password@` of every http(s) URL in the
 * text is removed, whatever its server. With token null (the portal serves no files) only the
 * user info goes. Pure; null stays null.
 */
export function maskProvisioningUrl(text: string | null, token: string | null): string | null {
  if (text === null) return null;
  let out = token ? text.split(token).join(MASKED_TOKEN) : text;
  out = out.replace(/(\bhttps?:\/\/)[^\s/?#"'<>]*@/gi, "$1");
  return out;
}

/**
 * Whether `url` is the masked form of `stored` for `token`: a form pre-filled with the masked value
 * and sent back unchanged means "keep what is stored", never "store the mask".
 */
export function isMaskedFormOf(url: string | null, stored: string | null, token: string | null): boolean {
  return url !== null && stored !== null && url !== stored && url === maskProvisioningUrl(stored, token);
}
