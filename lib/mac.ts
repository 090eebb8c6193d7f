// MAC address input: parse every common notation, normalise to 12 uppercase hex digits, and say
// precisely why anything else is refused. Pure: shared by server code and browser components.
//
// Input comes typed, pasted (from e-mails, PDFs, chat, web pages), scanned (barcode scanners type
// like a keyboard) or from spreadsheet files, so it carries characters nobody sees or that look
// like ASCII but are not. What we accept and why:
// - invisible format characters anywhere are dropped: every Unicode "format" character (category
//   Cf: zero-width space/joiners U+200B–U+200D, word joiner U+2060, LRM/RLM U+200E/U+200F, bidi
//   embeddings and isolates U+202A–U+202E and U+2066–U+2069, BOM U+FEFF, soft hyphen U+00AD, …);
// - no-break and other Unicode spaces (U+00A0, U+2007, U+202F, …) count as spaces;
// - dash look-alikes (U+2010–U+2015, U+2212, U+FE58, U+FE63, U+FF0D) and colon look-alikes
//   (U+2236 ratio, U+A789 as Windows puts in file names, U+FE13, U+FE55, U+FF1A) are separators;
// - fullwidth digits, letters and punctuation (typed with a CJK input method) are read through
//   Unicode NFKC, character by character;
// - the spreadsheet text-forcing form `="000413A30001"` and typographic quotes around the value.
// Anything still refused names the offending character by code point when it is invisible or a
// look-alike, and quotes the value as the user typed it (case and width kept, invisibles left out).

export const SNOM_PREFIXES = ["000413", "00087B"] as const;

export type MacRejection =
  | "empty"
  | "wrong_length"
  | "non_hex"
  | "invisible_character"
  | "look_alike"
  | "scientific_notation"
  | "spreadsheet_number"
  | "lost_leading_zeros"
  | "all_zero"
  | "broadcast"
  | "multicast";

export type MacParseResult =
  | { ok: true; mac: string; isSnom: boolean }
  | { ok: false; reason: MacRejection; message: string };

const SPREADSHEET_FIX = "format the column as text in the spreadsheet and export again";

/** Separators people use: colons, dashes, dots (Cisco 0004.13ab.cdef), spaces, underscores. */
const SEPARATORS = /[\s:.\-_]/g;

const DASH_LOOK_ALIKES = /[\u2010-\u2015\u2212\uFE58\uFE63\uFF0D]/;
const COLON_LOOK_ALIKES = /[\u2236\uA789\uFE13\uFE55\uFF1A]/;
const QUOTE_LOOK_ALIKES = /[\u2018-\u201F\u00AB\u00BB\u2039\u203A\uFF02\uFF07]/;
/** Dropped wherever they are: Unicode format characters (Cf) and the variation selectors. */
const IGNORABLE = /[\p{Cf}\u034F\u180B-\u180F\uFE00-\uFE0F]/u;
/** Still refused, but named by code point because nobody can see them. */
const INVISIBLE = /[\p{Cc}\u115F\u1160\u2800\u3164\uFFA0\uFFFC]/u;

/** Letters from other scripts that look like the Latin letters (or digits) a MAC may hold. */
const LOOK_ALIKES: Record<string, [name: string, looksLike: string]> = {
  "\u0410": ["Cyrillic capital letter A", "the Latin A"],
  "\u0412": ["Cyrillic capital letter VE", "the Latin B"],
  "\u0421": ["Cyrillic capital letter ES", "the Latin C"],
  "\u0415": ["Cyrillic capital letter IE", "the Latin E"],
  "\u041E": ["Cyrillic capital letter O", "the digit 0"],
  "\u0430": ["Cyrillic small letter A", "the Latin a"],
  "\u0441": ["Cyrillic small letter ES", "the Latin c"],
  "\u0435": ["Cyrillic small letter IE", "the Latin e"],
  "\u043E": ["Cyrillic small letter O", "the digit 0"],
  "\u0391": ["Greek capital letter alpha", "the Latin A"],
  "\u0392": ["Greek capital letter beta", "the Latin B"],
  "\u0395": ["Greek capital letter epsilon", "the Latin E"],
  "\u039F": ["Greek capital letter omicron", "the digit 0"],
  "\u03BF": ["Greek small letter omicron", "the digit 0"],
  "\u0399": ["Greek capital letter iota", "the digit 1"],
  "\u00B7": ["middle dot", "a full stop"],
  "\u2024": ["one dot leader", "a full stop"],
};
/** ASCII letters people type for digits. */
const ASCII_LOOK_ALIKES: Record<string, string> = {
  O: "the letter O, not the digit 0",
  o: "the letter o, not the digit 0",
  I: "the letter I, not the digit 1",
  l: "the letter l, not the digit 1",
};

const CHARACTER_NAMES: Record<number, string> = {
  0x00: "null character",
  0x09: "tab",
  0x1d: "group separator, sent by some barcode scanners",
  0x7f: "delete",
  0x00a0: "no-break space",
  0x00ad: "soft hyphen",
  0x034f: "combining grapheme joiner",
  0x200b: "zero-width space",
  0x200c: "zero-width non-joiner",
  0x200d: "zero-width joiner",
  0x200e: "left-to-right mark",
  0x200f: "right-to-left mark",
  0x202a: "left-to-right embedding",
  0x202b: "right-to-left embedding",
  0x202c: "pop directional formatting",
  0x202d: "left-to-right override",
  0x202e: "right-to-left override",
  0x2060: "word joiner",
  0x2066: "left-to-right isolate",
  0x2067: "right-to-left isolate",
  0x2068: "first strong isolate",
  0x2069: "pop directional isolate",
  0x2800: "braille blank",
  0x3164: "Hangul filler",
  0xfeff: "byte order mark / zero-width no-break space",
  0xfffc: "object replacement character",
  0xfffd: "replacement character: the text was decoded with the wrong encoding",
};

/** `U+200E` (zero-padded to four hex digits, as Unicode writes code points). */
export function codePointLabel(ch: string): string {
  return `U+${ch.codePointAt(0)!.toString(16).toUpperCase().padStart(4, "0")}`;
}

/** `U+200E (left-to-right mark)`: the code point, with a name for the characters people meet. */
export function describeCodePoint(ch: string): string {
  const name = CHARACTER_NAMES[ch.codePointAt(0)!];
  return name ? `${codePointLabel(ch)} (${name})` : codePointLabel(ch);
}

type Cleaned = {
  /** Printable ASCII where the input could be mapped, other characters kept as they were. */
  clean: string;
  /** What the user typed, trimmed, without the dropped invisible characters: quoted in messages. */
  shown: string;
  /** Dropped invisible characters and where they were (index into `clean` before trimming). */
  dropped: { ch: string; at: number }[];
  /** The character the user typed at a `clean` index. */
  originAt: (index: number) => string;
  /** What the user typed for `clean` indexes [from, to). */
  originSlice: (from: number, to: number) => string;
};

function mapCharacter(ch: string): string {
  if (/\s/.test(ch)) return " ";
  if (DASH_LOOK_ALIKES.test(ch)) return "-";
  if (COLON_LOOK_ALIKES.test(ch)) return ":";
  if (QUOTE_LOOK_ALIKES.test(ch)) return '"';
  if (ch >= " " && ch <= "~") return ch;
  const nfkc = ch.normalize("NFKC");
  return /^[ -~]+$/.test(nfkc) ? nfkc : ch;
}

function cleanInput(input: string): Cleaned {
  // Fast path for the common case (the preview classifies 10,000 rows per keystroke batch).
  if (/^[ -~]*$/.test(input)) {
    return {
      clean: input,
      shown: input.trim(),
      dropped: [],
      originAt: (i) => input[i],
      originSlice: (from, to) => input.slice(from, to),
    };
  }
  let clean = "";
  let shown = "";
  const origin: string[] = [];
  const dropped: { ch: string; at: number }[] = [];
  for (const ch of input) {
    if (IGNORABLE.test(ch)) {
      dropped.push({ ch, at: clean.length });
      continue;
    }
    // Invisible characters we refuse are named by code point, so the quote leaves them out too.
    if (!INVISIBLE.test(ch) || /\s/.test(ch)) shown += ch;
    const mapped = mapCharacter(ch);
    for (const m of mapped) {
      clean += m;
      origin.push(ch);
    }
  }
  return {
    clean,
    shown: shown.trim(),
    dropped,
    originAt: (i) => origin[i],
    originSlice: (from, to) => origin.slice(from, to).join(""),
  };
}

/**
 * The text a MAC was typed as, with what we tolerate undone: invisible characters dropped,
 * look-alike separators and fullwidth forms mapped to ASCII, `="…"` and quotes unwrapped.
 * Characters that cannot be mapped stay (the parser refuses and names them).
 */
export function normalizeMacText(input: string): string {
  return unwrap(cleanInput(input).clean).text;
}

/** Strip `="…"` (Excel's text-forcing formula) and surrounding quotes; keep index bookkeeping. */
function unwrap(clean: string): { text: string; start: number } {
  let start = 0;
  let end = clean.length;
  const trim = () => {
    while (start < end && clean[start] === " ") start++;
    while (end > start && clean[end - 1] === " ") end--;
  };
  trim();
  if (clean[start] === "=" && clean[end - 1] === '"') {
    let i = start + 1;
    while (i < end && clean[i] === " ") i++;
    if (clean[i] === '"' && i < end - 1) {
      start = i + 1;
      end--;
      trim();
    }
  }
  if (start < end && (clean[start] === '"' || clean[start] === "'")) start++;
  if (end > start && (clean[end - 1] === '"' || clean[end - 1] === "'")) end--;
  trim();
  return { text: clean.slice(start, end), start };
}

/** "before the MAC", "after the MAC" or "after “00:04:13”", for a position in `text`. */
function whereIn(text: string, at: number, shownPrefix: string): string {
  const hexPositions = [...text].flatMap((c, i) => (/[0-9A-Fa-f]/.test(c) ? [i] : []));
  if (hexPositions.length === 0) return "in the value";
  if (at <= hexPositions[0]) return "before the MAC";
  if (at > hexPositions[hexPositions.length - 1]) return "after the MAC";
  return `after “${shownPrefix.trim()}”`;
}

/** Parse a MAC typed, pasted, scanned or read from a file, in any common notation. */
export function parseMac(input: string): MacParseResult {
  const cleaned = cleanInput(input);
  const { text: trimmed, start } = unwrap(cleaned.clean);
  const shown = cleaned.shown;
  const shownAt = (cleanIndex: number) => cleaned.originSlice(start, cleanIndex);
  const droppedNote = () => {
    if (cleaned.dropped.length === 0) return "";
    const first = cleaned.dropped[0];
    const more = cleaned.dropped.length > 1 ? ` and ${cleaned.dropped.length - 1} more` : "";
    return ` (it also held an invisible character ${describeCodePoint(first.ch)} ${whereIn(trimmed, first.at - start, shownAt(first.at))}${more}, which was ignored)`;
  };
  const reject = (reason: MacRejection, message: string): MacParseResult => ({
    ok: false,
    reason,
    message: cleaned.dropped.length > 0 ? message.replace(/\.?$/, `${droppedNote()}.`) : message,
  });
  if (trimmed === "") return reject("empty", "Enter a MAC address.");

  // A character we could not map: name it, by code point when nobody can see it.
  const unmapped = trimmed.search(/[^ -~]/);
  if (unmapped !== -1) {
    const original = cleaned.originAt(start + unmapped);
    const where = whereIn(trimmed, unmapped, shownAt(start + unmapped));
    if (INVISIBLE.test(original)) {
      return reject(
        "invisible_character",
        `“${shown}” contains an invisible character ${describeCodePoint(original)} ${where}: delete it or type the MAC again.`,
      );
    }
    const lookAlike = LOOK_ALIKES[original];
    if (lookAlike) {
      return reject(
        "look_alike",
        `“${shown}” contains “${original}” (${codePointLabel(original)}, ${lookAlike[0]}), which looks like ${lookAlike[1]}, ${where}: a MAC has only the digits 0–9 and the Latin letters A–F.`,
      );
    }
    const name = CHARACTER_NAMES[original.codePointAt(0)!];
    return reject(
      "non_hex",
      `“${shown}” contains “${original}” (${codePointLabel(original)}${name ? `, ${name}` : ""}) ${where}: a MAC has only the digits 0–9 and the letters A–F.`,
    );
  }

  const spreadsheet = spreadsheetDamage(trimmed, shown);
  if (spreadsheet) return reject(spreadsheet.reason, spreadsheet.message);

  const hex = trimmed.replace(SEPARATORS, "").toUpperCase();
  const badIndex = trimmed.search(/[^0-9A-Fa-f\s:.\-_]/);
  if (badIndex !== -1) {
    const original = cleaned.originAt(start + badIndex);
    const hint = ASCII_LOOK_ALIKES[original];
    return reject(
      "non_hex",
      `“${shown}” contains “${original}”${hint ? ` (${hint})` : ""}: a MAC has only the digits 0–9 and the letters A–F.`,
    );
  }
  if (hex.length !== 12) {
    return reject("wrong_length", `“${shown}” has ${hex.length} hex digits; a MAC has exactly 12.`);
  }
  if (!isWellSeparated(trimmed)) {
    return reject(
      "wrong_length",
      `“${shown}” is not grouped like a MAC (use 000413AABBCC, 00:04:13:AA:BB:CC or 0004.13aa.bbcc).`,
    );
  }
  if (hex === "000000000000") return reject("all_zero", `“${shown}” (all zeros) is not a real device address.`);
  if (hex === "FFFFFFFFFFFF") return reject("broadcast", `“${shown}” is the broadcast address, not a phone.`);
  if (parseInt(hex.slice(0, 2), 16) & 1) {
    return reject("multicast", `“${shown}” is a multicast address (its first byte is odd), not a phone.`);
  }
  return { ok: true, mac: hex, isSnom: isSnomMac(hex) };
}

/**
 * Values a spreadsheet made of a MAC by reading it as a number. A snom MAC such as 00041350E123 or
 * 00004135E006 is scientific notation to Excel and LibreOffice (4.135E+127, 4.135E+9), shown in
 * full as a long decimal (4135000000) or with a number format's decimals (413000000001.00); an
 * all-digit MAC loses its leading zeros (000413123456 → 413123456). Padding is suggested only when
 * it gives a snom MAC: an 11- or 13-digit value is far more often a typo than damage.
 */
function spreadsheetDamage(value: string, shown: string): { reason: MacRejection; message: string } | null {
  // Twelve hex digits are a MAC even when they read like a number (00041350E123 itself).
  if (/^[0-9A-F]{12}$/i.test(value)) return null;
  if (/^\d+([.,]\d+)?E[+-]?\d+$/i.test(value)) {
    return {
      reason: "scientific_notation",
      message: `“${shown}” is a MAC a spreadsheet turned into a number in scientific notation; the digits are lost: ${SPREADSHEET_FIX}.`,
    };
  }
  // A number format with decimals (413000000001.00, German 413000000001,00) or thousands
  // separators (413,123,456): the integer is what the spreadsheet kept.
  const decimals = value.match(/^([1-9]\d*)[.,](0+)$/);
  const thousands = /^[1-9]\d{0,2}([,.' ]\d{3})+$/.test(value) && value.replace(/\D/g, "").length !== 12;
  const integer = decimals ? decimals[1] : thousands ? value.replace(/\D/g, "") : /^[1-9]\d*$/.test(value) ? value : null;
  if (integer === null) return null;
  const padded = integer.padStart(12, "0");
  const snomFix = integer.length >= 9 && integer.length <= 11 && isSnomMac(padded);
  if (snomFix) {
    return {
      reason: "lost_leading_zeros",
      message: `“${shown}” has ${integer.length} digits: a spreadsheet dropped the leading zeros of ${padded} (a snom MAC): ${SPREADSHEET_FIX}.`,
    };
  }
  const trailingZeros = integer.length - integer.replace(/0+$/, "").length;
  // Beyond 15 digits a spreadsheet has rounded (15 significant digits); three or more trailing
  // zeros on a non-MAC length are a written-out exponent (4.135E+9 → 4135000000).
  const isLongDecimal = integer.length > 15 || (integer.length !== 12 && trailingZeros >= 3);
  if (decimals || thousands || isLongDecimal) {
    return {
      reason: "spreadsheet_number",
      message: `“${shown}” is a number a spreadsheet made of a MAC (written out from scientific notation, or with a number format); the digits are lost: ${SPREADSHEET_FIX}.`,
    };
  }
  return null;
}

/** Separated input must use groups of 2 (aa:bb:…), 3, 4 (aabb.ccdd.eeff) or 6 (aabbcc-ddeeff) digits. */
function isWellSeparated(raw: string): boolean {
  const groups = raw.split(/[\s:.\-_]+/).filter(Boolean);
  if (groups.length === 1) return true;
  const sizes = new Set(groups.map((g) => g.length));
  return sizes.size === 1 && [2, 3, 4, 6].includes(groups[0].length) && groups.join("").length === 12;
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
 * ("aa:bb" → "AABB"), or null when it cannot be part of a MAC. Tolerates what `parseMac` does.
 */
export function macSearchFragment(input: string): string | null {
  const hex = normalizeMacText(input).replace(SEPARATORS, "").toUpperCase();
  return hex.length > 0 && /^[0-9A-F]+$/.test(hex) ? hex : null;
}

/**
 * A pasted list of MACs (any notation, one per line or separated by commas, semicolons or tabs):
 * `macs`, the distinct valid ones normalized (000413AABBCC), in order of first appearance;
 * `invalid`, the tokens that are not MACs (each cut to 40 characters); `tokens`, how many were pasted.
 * Shared by the bulk action and its confirm box, so both count the same phones.
 */
export function parsePastedMacs(text: string): { macs: string[]; invalid: string[]; tokens: number } {
  const tokens = text
    .split(/[\r\n,;\t]+/)
    .map((t) => t.trim())
    .filter(Boolean);
  const macs = new Set<string>();
  const invalid: string[] = [];
  for (const t of tokens) {
    const parsed = parseMac(t);
    if (parsed.ok) macs.add(parsed.mac);
    else invalid.push(t.slice(0, 40));
  }
  return { macs: [...macs], invalid, tokens: tokens.length };
}
