// File import: read a CSV/TSV export from a spreadsheet into rows. Never throws: every bad file
// gets one specific, actionable message. No database and no server-only imports.
import { parse } from "csv-parse/sync";
import { parseMac } from "../mac";
import { IMPORT_FIELDS, MAX_IMPORT_LINES, type ColumnMapping, type ImportField, type ImportRow } from "./types";
import { ALIAS_TO_FIELD, guessColumnMapping, normalizeHeader } from "./headers";

export { normalizeHeader } from "./headers";

export type CsvDelimiter = "," | ";" | "\t";

export type CsvParseOptions = {
  /** Explicit column choices; they win over what the header names suggest. */
  mapping?: ColumnMapping;
  /** Use `mapping` as the whole mapping (the user's choice per column): nothing is detected. */
  exactMapping?: boolean;
  /** Force header detection on or off; by default it is detected. */
  hasHeader?: boolean;
  maxLines?: number;
  maxBytes?: number;
};

export type CsvParseResult =
  | {
      ok: true;
      /** The header row, or `Column 1`, `Column 2`, … when the file has none. */
      headers: string[];
      hasHeader: boolean;
      rows: ImportRow[];
      mapping: ColumnMapping;
      delimiter: CsvDelimiter;
    }
  | { ok: false; error: string };

export const MAX_FILE_BYTES = 5 * 1024 * 1024;

const SAVE_AS_CSV = "save it from your spreadsheet as “CSV UTF-8 (comma delimited)” and upload that file";

/**
 * Header names (lowercased, umlauts spelled out, punctuation and spaces removed) per field, most
 * specific first: when two columns match one field, the one whose name comes earlier here wins.
 * Besides our own and common spreadsheet names, the device exports of PBXs resellers move from:
 * - FusionPBX, Accounts › Devices › Export (app/devices/device_download.php): `device_mac_address`,
 *   `device_label`, `device_vendor`, `device_model` (older versions), `device_template` (e.g.
 *   `snom/d785`), `device_description`, plus ids, passwords and dates that we leave unmapped.
 * - Yeastar P-Series auto-provisioning export: `Vendor`, `Model`, `MAC Address`, `Template`,
 *   `Assign Extension`.
 * - Switchvox extension export: `digium_phone_mac_address`, `ext`.
 * - Vodia bulk account CSV: `#alias;first_name;…;mac;…`.
 * - FreePBX Endpoint Manager has no header (MAC, Brand, Model, Extension, Line): see
 *   `endpointManagerMapping`.
 */

export function parseCsvFile(bytes: Uint8Array, opts: CsvParseOptions = {}): CsvParseResult {
  const maxLines = opts.maxLines ?? MAX_IMPORT_LINES;
  const maxBytes = opts.maxBytes ?? MAX_FILE_BYTES;
  if (bytes.length === 0) return fail("The file is empty.");
  if (bytes.length > maxBytes) {
    return fail(
      `The file is ${(bytes.length / 1024 / 1024).toFixed(1)} MB; the limit is ${Math.round(maxBytes / 1024 / 1024)} MB (${maxLines} lines).`,
    );
  }

  if ((bytes[0] === 0xff && bytes[1] === 0xfe) || (bytes[0] === 0xfe && bytes[1] === 0xff)) {
    return fail(`This file is saved as UTF-16 (“Unicode text”): ${SAVE_AS_CSV}.`);
  }
  if (isBinary(bytes))
    return fail(
      "This looks like a binary file (e.g. an .xlsx); export it as CSV (File › Save as › CSV UTF-8) and upload that.",
    );

  const lineCount = countLines(bytes);
  // Extra lines for a header and Excel's `sep=` line; the exact data-row count is checked after parsing.
  if (lineCount > maxLines + 2) {
    return fail(
      `The file has ${lineCount} lines; at most ${maxLines} phones can be imported at once. Split it into smaller files.`,
    );
  }

  const hasBom = bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf;
  const body = hasBom ? bytes.subarray(3) : bytes;
  let text: string;
  try {
    text = new TextDecoder("utf-8", { fatal: true }).decode(body);
  } catch {
    const offset = firstInvalidUtf8(body) + (hasBom ? 3 : 0);
    const line = countNewlines(bytes, offset) + 1;
    return fail(
      `The file is not UTF-8 text (unexpected byte 0x${bytes[offset]?.toString(16).toUpperCase().padStart(2, "0")} at byte ${offset}, line ${line}); it was probably saved as “CSV” in a Windows/Latin-1 encoding: ${SAVE_AS_CSV}.`,
    );
  }
  if (text.trim() === "") return fail("The file is empty.");

  const hint = readSeparatorHint(text);
  if (hint && !hint.ok) return fail(hint.error);
  // The hint line is blanked, not removed, so line numbers in messages stay those of the file.
  if (hint) text = text.slice(hint.lineLength);
  if (text.trim() === "") return fail("The file has only the “sep=” line and no phones.");
  const delimiter = hint ? hint.delimiter : detectDelimiter(text);
  let records: { record: string[]; info: { lines: number } }[];
  try {
    records = parse(text, {
      delimiter,
      info: true,
      relax_column_count: true,
      relax_quotes: true,
      skip_empty_lines: true,
      skip_records_with_empty_values: true,
    }) as unknown as { record: string[]; info: { lines: number } }[];
  } catch (e) {
    const message = e instanceof Error ? e.message : String(e);
    return fail(`The file could not be read as CSV: ${message}`);
  }
  if (records.length === 0) return fail("The file is empty.");

  const cells = records.map((r) => r.record.map((c) => c.trim()));
  const lines = recordStartLines(records);
  const firstRow = cells[0];
  const hasHeader = opts.hasHeader ?? looksLikeHeader(firstRow);
  const width = firstRow.length;
  const headers = hasHeader ? firstRow : firstRow.map((_, i) => `Column ${i + 1}`);
  const dataStart = hasHeader ? 1 : 0;
  const dataCount = cells.length - dataStart;
  if (dataCount === 0) return fail("The file has a header row but no phones below it.");
  if (dataCount > maxLines) {
    return fail(
      `The file has ${dataCount} rows; at most ${maxLines} phones can be imported at once. Split it into smaller files.`,
    );
  }

  // Ragged rows: a different column count than the first row. Extra cells that are all empty
  // (a trailing delimiter) are tolerated; anything else means the columns would be misread.
  const ragged: { line: number; count: number }[] = [];
  for (let i = dataStart; i < cells.length; i++) {
    const row = cells[i];
    if (row.length === width) continue;
    if (row.length > width && row.slice(width).every((c) => c === "")) continue;
    ragged.push({ line: lines[i], count: row.length });
  }
  if (ragged.length > 0) {
    const shown = ragged
      .slice(0, 10)
      .map((r) => `line ${r.line} (${r.count})`)
      .join(", ");
    const more = ragged.length > 10 ? ` and ${ragged.length - 10} more` : "";
    return fail(
      `${ragged.length} row${ragged.length === 1 ? " has" : "s have"} a different number of columns than the ${hasHeader ? "header" : "first row"} (${width}): ${shown}${more}. Check for a “${delimiter === "\t" ? "tab" : delimiter}” inside a value that is not in quotes.`,
    );
  }

  const mapping: ColumnMapping = opts.exactMapping
    ? {}
    : hasHeader
      ? guessColumnMapping(headers)
      : (endpointManagerMapping(cells.slice(0, 50)) ?? {});
  if (mapping.mac === undefined && !opts.exactMapping) {
    const sniffed = hasHeader ? sniffMacColumn(cells.slice(1, 51)) : 0;
    if (sniffed !== undefined) {
      for (const field of IMPORT_FIELDS) if (mapping[field] === sniffed) delete mapping[field];
      mapping.mac = sniffed;
    }
  }
  for (const [field, index] of Object.entries(opts.mapping ?? {}) as [ImportField, number | undefined][]) {
    if (index === undefined) continue;
    if (!IMPORT_FIELDS.includes(field)) return fail(`Unknown field “${field}” in the column mapping.`);
    if (!Number.isInteger(index) || index < 0 || index >= width) {
      return fail(
        `The column chosen for ${field} (${index + 1}) does not exist; the file has ${width} column${width === 1 ? "" : "s"}.`,
      );
    }
    if (opts.exactMapping && Object.values(mapping).includes(index)) {
      return fail(`Column ${index + 1} (“${headers[index]}”) is chosen for two fields; choose one field per column.`);
    }
    mapping[field] = index;
  }
  if (mapping.mac === undefined) {
    return fail(
      `No MAC address column found. Name a column “MAC” (or “MAC-Adresse”), or choose it. Columns: ${headers.join(", ")}.`,
    );
  }

  const rows: ImportRow[] = [];
  for (let i = dataStart; i < cells.length; i++) {
    const row = cells[i];
    const out: ImportRow = { line: lines[i], mac: row[mapping.mac] ?? "" };
    for (const field of IMPORT_FIELDS) {
      if (field === "mac") continue;
      const index = mapping[field];
      if (index === undefined) continue;
      const value = row[index];
      if (value) out[field] = value;
    }
    rows.push(out);
  }
  return { ok: true, headers, hasHeader, rows, mapping, delimiter };
}

/**
 * Excel's delimiter hint: a first line `sep=;` (also `sep=,`, `sep=` + tab, and the spelled-out
 * `sep=\t`; Excel writes it unquoted, some tools quote it). It tells a spreadsheet which character
 * separates the columns and is not data. Returns the delimiter and how many characters of the text
 * the line takes without its line break; null when the first line is not a hint.
 */
export function readSeparatorHint(
  text: string,
): { ok: true; delimiter: CsvDelimiter; lineLength: number } | { ok: false; error: string } | null {
  const end = text.search(/\r\n|\r|\n|$/);
  const line = text.slice(0, end);
  const m = line.match(/^ *"?sep=(.*?)"? *$/i);
  if (!m) return null;
  const value = m[1] === "\\t" ? "\t" : m[1];
  if (value === "," || value === ";" || value === "\t") return { ok: true, delimiter: value, lineLength: end };
  return {
    ok: false,
    error: `The first line “${line.trim()}” asks for ${value === "" ? "no character" : `“${value}”`} between the columns; the import reads columns separated by commas, semicolons or tabs: ${SAVE_AS_CSV}.`,
  };
}

function fail(error: string): { ok: false; error: string } {
  return { ok: false, error };
}

/**
 * First line of every record. `info.lines` is where a record ends, and csv-parse counts a CRLF
 * inside a quoted value as two lines, so subtract the value's own line breaks and keep a running
 * correction for the double counting.
 */
function recordStartLines(records: { record: string[]; info: { lines: number } }[]): number[] {
  const starts: number[] = new Array(records.length);
  let overcount = 0;
  for (let i = 0; i < records.length; i++) {
    let breaks = 0;
    let breakChars = 0;
    for (const cell of records[i].record) {
      if (!cell.includes("\n") && !cell.includes("\r")) continue;
      breaks += cell.match(/\r\n|\r|\n/g)?.length ?? 0;
      breakChars += cell.match(/\r|\n/g)?.length ?? 0;
    }
    overcount += breakChars - breaks;
    starts[i] = records[i].info.lines - overcount - breaks;
  }
  return starts;
}

function isBinary(bytes: Uint8Array): boolean {
  // ZIP (xlsx, ods), OLE2 (xls) and PDF signatures.
  if (bytes[0] === 0x50 && bytes[1] === 0x4b && bytes[2] === 0x03 && bytes[3] === 0x04) return true;
  if (bytes[0] === 0xd0 && bytes[1] === 0xcf && bytes[2] === 0x11 && bytes[3] === 0xe0) return true;
  if (bytes.indexOf(0) !== -1) return true;
  const sample = Math.min(bytes.length, 64 * 1024);
  let control = 0;
  for (let i = 0; i < sample; i++) {
    const b = bytes[i];
    if ((b < 0x20 && b !== 0x09 && b !== 0x0a && b !== 0x0d && b !== 0x0c) || b === 0x7f) control++;
  }
  return control > 8 && control > sample / 100;
}

/** Lines as a spreadsheet counts them: LF or CR line ends, plus a last line without one. */
function countLines(bytes: Uint8Array): number {
  let lf = 0;
  let cr = 0;
  for (let i = 0; i < bytes.length; i++) {
    const b = bytes[i];
    if (b === 0x0a) lf++;
    else if (b === 0x0d) cr++;
  }
  const breaks = lf > 0 ? lf : cr; // classic Mac files end lines with CR only
  const last = bytes[bytes.length - 1];
  return breaks + (last === 0x0a || last === 0x0d ? 0 : 1);
}

function countNewlines(bytes: Uint8Array, end: number): number {
  let n = 0;
  for (let i = 0; i < end && i < bytes.length; i++) if (bytes[i] === 0x0a) n++;
  return n;
}

/** Offset of the first byte that breaks UTF-8 (only called once decoding has failed). */
function firstInvalidUtf8(bytes: Uint8Array): number {
  let i = 0;
  while (i < bytes.length) {
    const b = bytes[i];
    let need: number;
    let min: number;
    if (b < 0x80) {
      i++;
      continue;
    } else if (b >= 0xc2 && b <= 0xdf) {
      need = 1;
      min = 0x80;
    } else if (b >= 0xe0 && b <= 0xef) {
      need = 2;
      min = 0x800;
    } else if (b >= 0xf0 && b <= 0xf4) {
      need = 3;
      min = 0x10000;
    } else return i;
    let cp = b & (0xff >> (need + 2));
    for (let k = 1; k <= need; k++) {
      const c = bytes[i + k];
      if (c === undefined || (c & 0xc0) !== 0x80) return i;
      cp = (cp << 6) | (c & 0x3f);
    }
    if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)) return i;
    i += need + 1;
  }
  return Math.max(0, bytes.length - 1);
}

/**
 * Pick the delimiter from the first lines, counting only outside quotes: one that occurs the same
 * number of times on every sampled line wins; else the one most frequent on the first line; a
 * single-column file gets one that does not occur at all (so `4,135E+127` stays one value).
 */
export function detectDelimiter(text: string): CsvDelimiter {
  const candidates: CsvDelimiter[] = ["\t", ";", ","];
  const counts: Record<CsvDelimiter, number[]> = { "\t": [], ";": [], ",": [] };
  let current: Record<CsvDelimiter, number> = { "\t": 0, ";": 0, ",": 0 };
  let inQuotes = false;
  let lineHasContent = false;
  const limit = Math.min(text.length, 64 * 1024);
  for (let i = 0; i < limit && counts[","].length < 20; i++) {
    const ch = text[i];
    if (ch === '"') inQuotes = !inQuotes;
    else if (!inQuotes && (ch === "\n" || ch === "\r")) {
      if (lineHasContent) for (const c of candidates) counts[c].push(current[c]);
      current = { "\t": 0, ";": 0, ",": 0 };
      lineHasContent = false;
      continue;
    } else if (!inQuotes && (ch === "\t" || ch === ";" || ch === ",")) current[ch]++;
    if (ch.trim() !== "" && ch !== "\uFEFF") lineHasContent = true;
  }
  if (lineHasContent) for (const c of candidates) counts[c].push(current[c]);

  const consistent = candidates
    .filter((c) => counts[c].length > 0 && counts[c][0] > 0 && counts[c].every((n) => n === counts[c][0]))
    .sort((a, b) => counts[b][0] - counts[a][0]);
  if (consistent.length > 0) return consistent[0];
  const onFirstLine = candidates.filter((c) => (counts[c][0] ?? 0) > 0).sort((a, b) => counts[b][0] - counts[a][0]);
  if (onFirstLine.length > 0) return onFirstLine[0];
  return candidates.find((c) => counts[c].every((n) => n === 0)) ?? ",";
}

/** A header row has no valid MAC and either a known column name or only name-like cells. */
function looksLikeHeader(row: string[]): boolean {
  const nonEmpty = row.filter((c) => c !== "");
  if (nonEmpty.length === 0) return false;
  if (nonEmpty.some((c) => parseMac(c).ok)) return false;
  if (nonEmpty.some((c) => ALIAS_TO_FIELD.has(normalizeHeader(c)))) return true;
  // No known name: a header only if nothing in it looks like an attempt at a MAC.
  return nonEmpty.every((c) => /[G-Zg-zÄÖÜäöüß]/.test(c) && !/^[0-9A-Fa-f:.\-\s,+]{6,}$/.test(c));
}

/** Vendor names FreePBX Endpoint Manager writes in its second column (its brand list). */
const EPM_BRANDS = /^(snom|cisco|cisco\/linksys|linksys|yealink|polycom|grandstream|aastra|mitel|panasonic|fanvil|gigaset|digium|sangoma|algo|audiocodes|htek|xorcom|obihai|spectralink|unify|siemens)$/i;

/**
 * FreePBX Endpoint Manager's device CSV has no header: `<MAC>,<Brand>,<Model>,<Extension>,<Line>`
 * (Settings › Endpoint Manager › Advanced › Import/Export). Recognised when the first column holds
 * MACs and the second, on most sampled rows, a brand name EPM knows.
 */
function endpointManagerMapping(sample: string[][]): ColumnMapping | null {
  const rows = sample.filter((r) => r.length >= 3);
  if (rows.length === 0 || rows.length < sample.length / 2) return null;
  const brands = rows.filter((r) => EPM_BRANDS.test(r[1])).length;
  if (brands < Math.max(1, Math.ceil(rows.length / 2))) return null;
  const mapping: ColumnMapping = { mac: 0, model: 2 };
  if (rows.some((r) => r.length >= 4)) mapping.label = 3;
  return mapping;
}

/** No column is named like a MAC: take the one where most sampled cells are valid MACs. */
function sniffMacColumn(sample: string[][]): number | undefined {
  const hits = new Map<number, number>();
  for (const row of sample) {
    row.forEach((cell, i) => {
      if (parseMac(cell).ok) hits.set(i, (hits.get(i) ?? 0) + 1);
    });
  }
  let best: number | undefined;
  let bestHits = 0;
  for (const [i, n] of hits) if (n > bestHits) [best, bestHits] = [i, n];
  return bestHits >= Math.max(1, Math.ceil(sample.length / 2)) ? best : undefined;
}
