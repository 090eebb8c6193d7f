// Shapes shared by the import parsers, the classifier and the commit. Pure: no server imports.

/** The fields an imported row can carry, in the order a file mapping lists them. */
export const IMPORT_FIELDS = [
  "mac",
  "customerNumber",
  "customerName",
  "label",
  "model",
  "serial",
  "urlOverride",
] as const;

export type ImportField = (typeof IMPORT_FIELDS)[number];

/** Column index (0-based) for each field a file provides. */
export type ColumnMapping = Partial<Record<ImportField, number>>;

/** One row as typed or read from a file: raw text, not yet validated. `line` is 1-based. */
export type ImportRow = {
  line: number;
  mac: string;
  customerNumber?: string;
  customerName?: string;
  label?: string;
  model?: string;
  serial?: string;
  urlOverride?: string;
};

export const MAX_IMPORT_LINES = 10_000;
