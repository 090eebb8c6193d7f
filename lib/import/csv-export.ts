// The phones export as CSV that spreadsheets open safely. Pure: the route streams its lines.
// Decisions (colon MACs, apostrophe before formula triggers, BOM, CRLF): docs/decisions/0004-bulk-import.md.
import { formatMac } from "../mac";

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
  "Last synced",
  "Last error",
] as const;

/** A spreadsheet runs a cell starting with one of these as a formula (or DDE): prefix a `'`. */
const FORMULA_TRIGGER = /^[=+\-@\t\r]/;

/** One CSV field: formula triggers neutralised, quoted when it holds a quote, separator or line break. */
export function csvField(value: string | number | null | undefined): string {
  if (value === null || value === undefined) return "";
  let text = String(value);
  if (FORMULA_TRIGGER.test(text)) text = `'${text}`;
  // A spreadsheet that splits on `;` (German Excel) or `,` ignores our quotes: a trigger right after
  // a separator inside the field would start a cell of its own there.
  text = text.replace(/([,;][ \t]*)([=+\-@])/g, "$1'$2");
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
 */
export function phoneCsvLine(phone: ExportPhone, effectiveUrl: string | null, separator: CsvSeparator = ","): string {
  const error = [phone.lastErrorCode, phone.lastErrorText].filter(Boolean).join(": ");
  return csvLine([
    formatMac(phone.mac),
    phone.customer.name,
    phone.customer.number,
    phone.label,
    phone.model,
    phone.serial,
    effectiveUrl,
    phone.syncStatus,
    phone.syncedAt ? phone.syncedAt.toISOString() : null,
    error || null,
  ], separator);
}

/** phones-YYYY-MM-DD.csv (UTC date). */
export function exportFileName(now = new Date()): string {
  return `phones-${now.toISOString().slice(0, 10)}.csv`;
}
