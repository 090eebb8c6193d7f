// Text that comes from a redirection service (or whatever answers at its address) is untrusted:
// it is bounded and stripped of control characters before it is stored, logged or echoed.
// No "server-only": the worker script loads this through tsx; it is pure string handling.

/** Cap of error texts, fault strings, owner companies, list entries and raw excerpts (characters). */
export const SERVICE_TEXT_MAX = 500;
/** Cap of URLs the service returns (characters). */
export const SERVICE_URL_MAX = 2048;

// C0 controls, DEL, C1 controls, and the Unicode bidi controls (LRM, RLM, ALM, embeddings,
// overrides, isolates) that can make a stored text display as something else ("Trojan Source").
// Tab, CR and LF are folded into a space: stored texts are single-line diagnostics.
const CONTROL = /[\u0000-\u001f\u007f-\u009f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]+/g;

/**
 * `text` without control characters (runs of them and of spaces become one space), lone surrogates replaced by U+FFFD,
 * trimmed, and cut to at most `max` characters (UTF-16 code units; the last one becomes "…" when
 * cut, never half a surrogate pair). Non-strings become "".
 */
export function cleanServiceText(text: unknown, max: number = SERVICE_TEXT_MAX): string {
  if (typeof text !== "string" || max <= 0) return "";
  // Work on a bounded prefix: a 5 MB fault string is never copied whole by the replace below.
  const head = text.length > max * 4 + 64 ? text.slice(0, max * 4 + 64) : text;
  const cleaned = head.replace(CONTROL, " ").replace(/ {2,}/g, " ").toWellFormed().trim();
  if (cleaned.length <= max && head.length === text.length) return cleaned;
  if (cleaned.length <= max) return cleaned.length < max ? cleaned + "…" : cleaned.slice(0, max - 1) + "…";
  let cut = max - 1;
  const last = cleaned.charCodeAt(cut - 1);
  if (last >= 0xd800 && last <= 0xdbff) cut -= 1;
  return cleaned.slice(0, cut) + "…";
}

/** Thousands grouped with a space, the way the portal shows sizes: 5321 -> "5 321". */
export function groupDigits(n: number): string {
  return String(Math.round(n)).replace(/\B(?=(\d{3})+(?!\d))/g, " ");
}
