// Column names of spreadsheets and PBX device exports, mapped to import fields. Pure and small, so
// both the file import (csv.ts) and the paste box (paste.ts, also in the browser) use it.
import type { ColumnMapping, ImportField } from "./types";

export const HEADER_ALIASES: Record<ImportField, string[]> = {
  mac: [
    "mac",
    "macaddress",
    "macaddr",
    "macadresse",
    "macadr",
    "devicemacaddress",
    "digiumphonemacaddress",
    "phonemac",
    "phonemacaddress",
    "hardwareaddress",
    "hardwareadresse",
    "macid",
  ],
  customerNumber: [
    "customernumber",
    "customerno",
    "customernr",
    "customerid",
    "custno",
    "accountnumber",
    "kundennummer",
    "kundennr",
    "kdnr",
    "kundenid",
  ],
  customerName: ["customer", "customername", "kunde", "kundenname", "company", "firma"],
  // Names of a column that says what or where the phone is. Extension numbers are only a fallback
  // (LABEL_FALLBACK_ALIASES): a file with both keeps the real name as the label.
  label: [
    "label",
    "devicelabel",
    "bezeichnung",
    "name",
    "alias",
    "displayname",
    "anzeigename",
    "description",
    "devicedescription",
    "beschreibung",
    "standort",
    "location",
    "raum",
    "room",
  ],
  model: [
    "model",
    "devicemodel",
    "type",
    "modell",
    "typ",
    "phonemodel",
    "devicetype",
    "geraetetyp",
    "devicetemplate",
  ],
  serial: ["serial", "serialnumber", "serialno", "serialnr", "seriennummer", "seriennr", "sn", "snr"],
  urlOverride: ["url", "provisioningurl", "urloverride", "provisioning", "settingsurl", "settingserver"],
};

/**
 * Extension and number columns: the label only when no column has a label name (a PBX export
 * often has nothing better). Ranked below every `label` alias and every loose match of one.
 */
export const LABEL_FALLBACK_ALIASES = [
  "extension",
  "assignextension",
  "nebenstelle",
  "durchwahl",
  "ext",
  "rufnummer",
  "telefonnummer",
  "phonenumber",
  "nummer",
  "number",
];

/** Fields whose names are also recognised inside a longer header (`Gerätebezeichnung`, `MAC-Adresse des Telefons`). */
const LOOSE_FIELDS: ImportField[] = ["mac", "label"];
/** Shorter aliases (`mac`, `name`) would match inside unrelated words (`first_name`, `machine`). */
const LOOSE_MIN_LENGTH = 6;

/** Field and rank (position in its alias list) per normalised header name. */
export const ALIAS_TO_FIELD = new Map<string, { field: ImportField; rank: number }>([
  ...Object.entries(HEADER_ALIASES).flatMap(([field, names]) =>
    names.map((n, rank) => [n, { field: field as ImportField, rank }] as const),
  ),
  ...LABEL_FALLBACK_ALIASES.map((n, rank) => [n, { field: "label" as ImportField, rank: 100 + rank }] as const),
]);

export function normalizeHeader(name: string): string {
  return name
    .toLowerCase()
    .replace(/ä/g, "ae")
    .replace(/ö/g, "oe")
    .replace(/ü/g, "ue")
    .replace(/ß/g, "ss")
    .replace(/[^a-z0-9]/g, "");
}

/** Whether a cell is a column name for the MAC (`MAC`, `MAC-Adresse`, `device_mac_address`, …). */
export function isMacHeader(cell: string): boolean {
  return ALIAS_TO_FIELD.get(normalizeHeader(cell))?.field === "mac";
}

/**
 * The column guess of a file with a header row: field → 0-based column. Every header is scored per
 * field: an exact alias (by its rank in HEADER_ALIASES) beats an alias found inside a longer
 * header, which beats an extension/number column (LABEL_FALLBACK_ALIASES). The best score overall
 * is assigned first, and each column and each field is used at most once, so `MAC-Adresse;
 * Bezeichnung;Nebenstelle` maps Bezeichnung, not Nebenstelle, to the label. Unknown headers stay
 * unmapped (Ignore).
 */
export function guessColumnMapping(headers: string[]): ColumnMapping {
  const candidates: { field: ImportField; column: number; score: number }[] = [];
  headers.forEach((header, column) => {
    const name = normalizeHeader(header);
    if (name === "") return;
    const exact = ALIAS_TO_FIELD.get(name);
    if (exact) {
      const tier = exact.rank >= 100 ? 2000 : 0;
      candidates.push({ field: exact.field, column, score: tier + (exact.rank % 100) });
      return;
    }
    for (const field of LOOSE_FIELDS) {
      const rank = HEADER_ALIASES[field].findIndex((alias) => alias.length >= LOOSE_MIN_LENGTH && name.includes(alias));
      if (rank >= 0) candidates.push({ field, column, score: 1000 + rank });
    }
  });
  candidates.sort((a, b) => a.score - b.score || a.column - b.column);
  const mapping: ColumnMapping = {};
  const usedColumns = new Set<number>();
  for (const c of candidates) {
    if (mapping[c.field] !== undefined || usedColumns.has(c.column)) continue;
    mapping[c.field] = c.column;
    usedColumns.add(c.column);
  }
  return mapping;
}
