// MAC address input: parse every common notation, normalise to 12 uppercase hex digits, and say
// precisely why anything else is refused. Pure: shared by server code and browser components.

export const SNOM_PREFIXES = ["000413", "00087B"] as const;

export type MacRejection =
  | "empty"
  | "wrong_length"
  | "non_hex"
  | "scientific_notation"
  | "lost_leading_zeros"
  | "all_zero"
  | "broadcast"
  | "multicast";

export type MacParseResult =
  | { ok: true; mac: string; isSnom: boolean }
  | { ok: false; reason: MacRejection; message: string };

const SPREADSHEET_FIX = "format the column as text in the spreadsheet and export again";

/** Parse a MAC typed or pasted in any common notation. */
export function parseMac(input: string): MacParseResult {
  const trimmed = input.trim().replace(/^["']|["']$/g, "").trim();
  if (trimmed === "") return reject("empty", "Enter a MAC address.");

  // A spreadsheet turned a MAC such as 00041350E123 into a number in scientific notation.
  // Twelve hex digits are a MAC even when they read like a number (00041350E123 itself).
  if (/^\d+([.,]\d+)?E[+-]?\d+$/i.test(trimmed) && !/^[0-9A-F]{12}$/i.test(trimmed)) {
    return reject(
      "scientific_notation",
      `“${trimmed}” is a MAC a spreadsheet turned into a number in scientific notation; the digits are lost: ${SPREADSHEET_FIX}.`,
    );
  }

  // Separators people use: colons, dashes, dots (Cisco 0004.13ab.cdef), spaces, underscores.
  const hex = trimmed.replace(/[\s:.\-_]/g, "").toUpperCase();

  // An all-digit value shorter than 12 digits: a spreadsheet stripped the leading zeros. Only for
  // input without separators: "00:04:13:12" is a truncated MAC, not a spreadsheet number.
  if (/^\d+$/.test(trimmed) && hex.length < 12 && hex.length >= 6) {
    const padded = hex.padStart(12, "0");
    return reject(
      "lost_leading_zeros",
      `“${trimmed}” has ${hex.length} digits: a spreadsheet probably dropped its leading zeros (was it ${padded}?): ${SPREADSHEET_FIX}.`,
    );
  }

  const bad = hex.match(/[^0-9A-F]/);
  if (bad) {
    return reject("non_hex", `“${trimmed}” contains “${bad[0]}”: a MAC has only the digits 0–9 and the letters A–F.`);
  }
  if (hex.length !== 12) {
    return reject("wrong_length", `“${trimmed}” has ${hex.length} hex digits; a MAC has exactly 12.`);
  }
  if (!isWellSeparated(trimmed)) {
    return reject("wrong_length", `“${trimmed}” is not grouped like a MAC (use 000413AABBCC, 00:04:13:AA:BB:CC or 0004.13aa.bbcc).`);
  }
  if (hex === "000000000000") return reject("all_zero", "000000000000 is not a real device address.");
  if (hex === "FFFFFFFFFFFF") return reject("broadcast", "FFFFFFFFFFFF is the broadcast address, not a phone.");
  if (parseInt(hex.slice(0, 2), 16) & 1) {
    return reject("multicast", `${hex} is a multicast address (its first byte is odd), not a phone.`);
  }
  return { ok: true, mac: hex, isSnom: isSnomMac(hex) };
}

/** Separated input must use groups of 2 (aa:bb:…), 4 (aabb.ccdd.eeff) or 6 (aabbcc-ddeeff) digits. */
function isWellSeparated(raw: string): boolean {
  const groups = raw.split(/[\s:.\-_]+/).filter(Boolean);
  if (groups.length === 1) return true;
  const sizes = new Set(groups.map((g) => g.length));
  return sizes.size === 1 && [2, 3, 4, 6].includes(groups[0].length) && groups.join("").length === 12;
}

function reject(reason: MacRejection, message: string): MacParseResult {
  return { ok: false, reason, message };
}

export function isSnomMac(mac: string): boolean {
  return SNOM_PREFIXES.some((p) => mac.toUpperCase().startsWith(p));
}

/** 000413AABBCC → 00:04:13:AA:BB:CC, for display. */
export function formatMac(mac: string): string {
  return mac.match(/.{2}/g)?.join(":") ?? mac;
}

/**
 * Turn a search term typed in any notation into the hex fragment stored in the database
 * ("aa:bb" → "AABB"), or null when it cannot be part of a MAC.
 */
export function macSearchFragment(input: string): string | null {
  const hex = input.trim().replace(/[\s:.\-_]/g, "").toUpperCase();
  return hex.length > 0 && /^[0-9A-F]+$/.test(hex) ? hex : null;
}
