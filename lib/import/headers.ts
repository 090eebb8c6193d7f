// Column names of spreadsheets and PBX device exports, mapped to import fields. Pure and small, so
// both the file import (csv.ts) and the paste box (paste.ts, also in the browser) use it.
import type { ImportField } from "./types";

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
  label: [
    "label",
    "devicelabel",
    "extension",
    "assignextension",
    "name",
    "nebenstelle",
    "durchwahl",
    "ext",
    "alias",
    "bezeichnung",
    "description",
    "devicedescription",
    "beschreibung",
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

/** Field and rank (position in its alias list) per normalised header name. */
export const ALIAS_TO_FIELD = new Map<string, { field: ImportField; rank: number }>(
  Object.entries(HEADER_ALIASES).flatMap(([field, names]) =>
    names.map((n, rank) => [n, { field: field as ImportField, rank }] as const),
  ),
);

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
