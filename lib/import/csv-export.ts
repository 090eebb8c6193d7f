// The phones export as CSV that spreadsheets open safely. Pure: the route streams its lines.
// Decisions (colon MACs, apostrophe before formula triggers, BOM, CRLF): docs/decisions/0004-bulk-import.md.
import { formatMac } from "../mac";
import { SYNC_STATUS_LABELS, type SyncStatus } from "../sync/status";

export const CSV_BOM = "\uFEFF";
export const CSV_EOL = "\r\n";

export const EXPORT_HEADER = [
  "MAC",
  "Customer",
  "Customer number",
  "Label",
  "Model",
  "Serial",
  "Effective URL",
  "Sync status",
  "Last synced (UTC)",
  "Last error",
] as const;

/** A spreadsheet runs a cell starting with one of these as a formula (or DDE): prefix a `'`. */
const FORMULA_TRIGGER = /^[=+\-@\t\r]/;

/**
 * A formula hidden inside the field: a trigger (ASCII `= + - @` or their fullwidth forms, which
 * East Asian Excel reads as ASCII) at the start of a piece that a spreadsheet may turn into a cell
 * of its own: after a separator it splits on (`,` `;` tab, whichever it uses, ignoring our quotes)
 * or a line break (CR, LF, CRLF), optionally behind blanks (space, no-break and ideographic spaces)
 * that some spreadsheets trim. Tab, CR and LF are boundaries, never blanks: an apostrophe put
 * before them would land in the previous cell. Source: OWASP "CSV Injection".
 */
const HIDDEN_FORMULA = /(^|[,;\t\r\n])([ \u00A0\u1680\u2000-\u200B\u202F\u205F\u3000\uFEFF]*[=+\-@\uFF1D\uFF0B\uFF0D\uFF20])/g;

/**
 * One CSV field: formula triggers neutralised with a `'` at the start of every piece a spreadsheet
 * could run (see HIDDEN_FORMULA), then quoted when it holds a quote, separator or line break.
 * The `'` at a cell's start is Excel's text marker, so the cell shows the rest unchanged.
 */
export function csvField(value: string | number | null | undefined): string {
  if (value === null || value === undefined) return "";
  let text = String(value).replace(HIDDEN_FORMULA, "$1'$2");
  if (FORMULA_TRIGGER.test(text)) text = `'${text}`;
  return /[",;\r\n\t]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** `,` by default; `;` for spreadsheets set up for a decimal comma (German Excel opens those directly). */
export type CsvSeparator = "," | ";";

export function csvLine(values: readonly (string | number | null | undefined)[], separator: CsvSeparator = ","): string {
  return values.map(csvField).join(separator) + CSV_EOL;
}

export type ExportPhone = {
  mac: string;
  label: string | null;
  model: string | null;
  serial: string | null;
  syncStatus: string;
  syncedAt: Date | null;
  lastErrorCode: string | null;
  lastErrorText: string | null;
  customer: { name: string; number: string };
};

/**
 * One phone as a CSV line. The MAC is written as 00:04:13:AA:BB:CC: as plain 12 hex digits a
 * spreadsheet reads 000413123456 as a number (zeros lost) and 00041350E123 as 4.1350E+127.
 * The status is in words, as the pages show it; "Last synced" is `YYYY-MM-DD HH:MM:SS` in UTC, which
 * Excel, LibreOffice and Google Sheets read as a date and time in any locale (ISO 8601 with a space);
 * "Last error" is one text: the service's message, else the error code in words.
 */
export function phoneCsvLine(phone: ExportPhone, effectiveUrl: string | null, separator: CsvSeparator = ","): string {
  return csvLine(
    [
      formatMac(phone.mac),
      phone.customer.name,
      phone.customer.number,
      phone.label,
      phone.model,
      phone.serial,
      effectiveUrl,
      SYNC_STATUS_LABELS[phone.syncStatus as SyncStatus] ?? phone.syncStatus,
      phone.syncedAt ? spreadsheetDateTime(phone.syncedAt) : null,
      phone.lastErrorText ?? (phone.lastErrorCode ? describeErrorCode(phone.lastErrorCode) : null),
    ],
    separator,
  );
}

/** `2026-11-26 10:00:00`: UTC, the form spreadsheets parse as a date-time whatever their locale. */
export function spreadsheetDateTime(date: Date): string {
  return date.toISOString().slice(0, 19).replace("T", " ");
}

const ERROR_CODE_TEXT: Record<string, string> = {
  transient: "The service could not be reached",
  protocol: "The service answered something unexpected",
  auth_failed: "The service refused the credentials",
  owned_by_other_user: "Owned by another redirection account",
  malformed_mac: "The service refused the MAC",
  malformed_url: "The service refused the provisioning URL",
  no_such_mac: "Not registered at the service",
  gave_up: "Gave up after repeated failures",
  needs_url: "No provisioning URL",
};

function describeErrorCode(code: string): string {
  return ERROR_CODE_TEXT[code] ?? code.replace(/_/g, " ");
}

/** phones-YYYY-MM-DD.csv (UTC date). */
export function exportFileName(now = new Date()): string {
  return `phones-${now.toISOString().slice(0, 10)}.csv`;
}
