// Search keys: texts folded in TypeScript so that one plain `LIKE '%…%'` on a stored key gives the
// same answers on SQLite and PostgreSQL (whose LIKE/LOWER case rules differ, and neither ignores
// accents). LIKE's own characters `%`, `_` and the escape `\` are folded to Unicode noncharacters in
// keys and queries alike, so a pattern never holds a wildcard: what the user typed is matched
// literally, through Prisma's `contains` or raw SQL, with no ESCAPE clause to get right.
// Why and how: docs/decisions/0012-search.md.
// Pure: used by lib/data, the bulk import's raw INSERT, the seed, factories and the backfill.

/** Most characters of one folded text; a key is the folded text, plus its German spelling when that differs. */
export const MAX_FOLDED_CHARS = 600;

/**
 * Separates the parts of a key (a text and its German spelling; label and serial). A folded query
 * never holds it (control characters become spaces), so no match can span two parts.
 */
export const KEY_SEPARATOR = "\u0001";

// Letters that Unicode does not decompose into a base letter plus marks.
const LETTERS: Record<string, string> = {
  ß: "ss",
  æ: "ae",
  ø: "o",
  œ: "oe",
  ł: "l",
  đ: "d",
  ð: "d",
  þ: "th",
  ı: "i",
  ς: "σ",
};
const LETTER_RE = new RegExp(`[${Object.keys(LETTERS).join("")}]`, "g");
// LIKE's special characters and their stand-ins: noncharacters (U+FDD0…), which Unicode keeps for
// internal use and which are removed from input first, so they stand for nothing else.
const LIKE_SPECIALS: Record<string, string> = { "%": "\uFDD0", _: "\uFDD1", "\\": "\uFDD2" };
const NONCHARACTER_RE = /[\uFDD0-\uFDEF]/g;

// Invisible characters that end up in pasted text (zero-width space, soft hyphen, bidi controls,
// word joiner, BOM). Not U+200D (zero-width joiner): it holds emoji sequences together.
const INVISIBLE_RE = /[\u00AD\u200B\u200C\u200E\u200F\u202A-\u202E\u2060-\u2064\u2066-\u2069\uFEFF]/g;

/** Cut to at most `max` code points (never half a surrogate pair). */
function cutCodePoints(text: string, max: number): string {
  if (text.length <= max) return text;
  return Array.from(text).slice(0, max).join("").trimEnd();
}

/**
 * The search folding of `text`: Unicode compatibility decomposition (NFKD: fullwidth `Ｍ` → `M`,
 * ligature `ﬁ` → `fi`), lower case (locale-independent), combining marks removed (`ü` → `u`,
 * Turkish `İ` → `i`), `ß`→`ss`, `æ`→`ae`, `ø`→`o`, `œ`→`oe`, `ł`→`l`, `đ`/`ð`→`d`, `þ`→`th`,
 * dotless `ı`→`i`, final `ς`→`σ`; invisible characters dropped, control characters and every run of
 * white space one space, trimmed; `%`, `_`, `\` as the noncharacters U+FDD0–U+FDD2 (never a LIKE
 * wildcard). Emoji stay (their variation selectors, which are marks, go).
 * At most MAX_FOLDED_CHARS code points. `foldSearchText("  MÜLLER\u00A0Telekom ")` = `"muller telekom"`.
 */
export function foldSearchText(text: string): string {
  const folded = text
    .replace(NONCHARACTER_RE, "")
    .normalize("NFKD")
    .toLowerCase()
    .replace(/\p{M}/gu, "")
    .replace(LETTER_RE, (c) => LETTERS[c]!)
    .replace(INVISIBLE_RE, "")
    .replace(/[\p{Cc}\s]+/gu, " ")
    .trim()
    .replace(/[%_\\]/g, (c) => LIKE_SPECIALS[c]!);
  return cutCodePoints(folded, MAX_FOLDED_CHARS);
}

/** `ä ö ü` (any case, composed or not) as German writes them without umlauts: `ae oe ue`. */
function germanSpelling(text: string): string {
  return text.normalize("NFD").replace(/([aouAOU])\u0308/g, "$1e");
}

/**
 * The spellings a text is found by: its folding, and when it has `ä ö ü` also its German folding
 * (`Müller` → `["muller", "mueller"]`), so "muller", "müller" and "mueller" all find "Müller",
 * and "müller" also finds a stored "Mueller". One or two distinct strings; empty ones dropped.
 */
export function searchSpellings(text: string): string[] {
  const plain = foldSearchText(text);
  const german = foldSearchText(germanSpelling(text));
  return [...new Set([plain, german])].filter((s) => s !== "");
}

/**
 * The stored key of one or more texts (label and serial; a summary and an e-mail): the spellings of
 * each, joined by KEY_SEPARATOR. `""` when every text is empty or null (a row without text still
 * gets a key, so "key IS NULL" means "not computed yet", see lib/search-backfill.ts).
 */
export function searchKey(...texts: (string | null | undefined)[]): string {
  return texts.flatMap((t) => (t ? searchSpellings(t) : [])).join(KEY_SEPARATOR);
}

/**
 * The key of a customer number, for the case-insensitive unique index (organizationId, numberKey):
 * only the folding, no second spelling. Numbers are ASCII (`[\w./-]+`), so this is their lower case.
 */
export function numberKey(number: string): string {
  return foldSearchText(number);
}

/** The search-key columns of a customer, from its texts (every write of these texts sets them). */
export function customerKeys(c: { name: string; number: string; contactName?: string | null; contactEmail?: string | null }) {
  return { nameKey: searchKey(c.name), numberKey: numberKey(c.number), contactKey: searchKey(c.contactName, c.contactEmail) };
}

/** The search-key column of a phone: label and serial. */
export function phoneKeys(p: { label?: string | null; serial?: string | null }) {
  return { searchKey: searchKey(p.label, p.serial) };
}

/** Longest query that is folded; longer input is cut first (the lists cut at 200 anyway). */
export const MAX_QUERY_CHARS = 200;

/**
 * The spellings a user's query is searched by (`searchSpellings` of its first MAX_QUERY_CHARS
 * characters): for Prisma's `contains` on a key column, or `%…%` in raw LIKE. They hold no LIKE
 * wildcard. Empty when the query folds to nothing (only blanks or invisible characters).
 */
export function querySpellings(query: string): string[] {
  return searchSpellings(cutCodePoints(query, MAX_QUERY_CHARS));
}

/** `%spelling%`: a LIKE pattern for raw SQL (a spelling holds no wildcard, so no ESCAPE is needed). */
export function likePattern(spelling: string): string {
  return `%${spelling}%`;
}
