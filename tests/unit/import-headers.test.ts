import { describe, expect, it } from "vitest";
import { parseCsvFile } from "@/lib/import/csv";
import { guessColumnMapping } from "@/lib/import/headers";
import type { ColumnMapping } from "@/lib/import/types";

// Header rows as spreadsheets and PBX exports write them, and the columns the import should pick.
const REAL_WORLD_HEADERS: [string, string[], ColumnMapping][] = [
  ["German Excel: label name beats the extension", ["MAC-Adresse", "Bezeichnung", "Nebenstelle"], { mac: 0, label: 1 }],
  ["extension first, label name second", ["MAC", "Nebenstelle", "Bezeichnung"], { mac: 0, label: 2 }],
  ["English: Extension never takes the label from Name", ["MAC address", "Extension", "Name"], { mac: 0, label: 2 }],
  ["Durchwahl and Beschreibung", ["Durchwahl", "MAC", "Beschreibung"], { mac: 1, label: 2 }],
  ["Nummer and Standort", ["Hardware address", "Nummer", "Standort"], { mac: 0, label: 2 }],
  ["Description and Ext", ["Ext", "Description", "MAC"], { mac: 2, label: 1 }],
  [
    "a longer label name is still a label name",
    ["MAC-Adresse", "Nebenstelle", "Gerätebezeichnung"],
    { mac: 0, label: 2 },
  ],
  ["a longer MAC name", ["Telefon MAC-Adresse", "Bezeichnung"], { mac: 0, label: 1 }],
  ["extension alone is the label", ["MAC", "Nebenstelle", "Modell"], { mac: 0, label: 1, model: 2 }],
  ["Label beats Description", ["MAC", "Description", "Label"], { mac: 0, label: 2 }],
  [
    "customer number and name, German",
    ["Kundennummer", "Kunde", "MAC-Adresse", "Bezeichnung", "Durchwahl", "Seriennummer"],
    { customerNumber: 0, customerName: 1, mac: 2, label: 3, serial: 5 },
  ],
  [
    "customer number and name, English",
    ["Customer No", "Customer name", "MAC Address", "Label", "Extension"],
    { customerNumber: 0, customerName: 1, mac: 2, label: 3 },
  ],
  [
    "Kundenname is the customer, not a label",
    ["MAC", "Kundenname", "Nebenstelle"],
    { mac: 0, customerName: 1, label: 2 },
  ],
  ["first_name is no label", ["#alias", "first_name", "last_name", "mac"], { label: 0, mac: 3 }],
  ["unknown columns stay ignored", ["Device", "Where", "MAC"], { mac: 2 }],
];

describe("guessColumnMapping: real-world header rows", () => {
  it.each(REAL_WORLD_HEADERS)("%s", (_name, headers, expected) => {
    expect(guessColumnMapping(headers)).toEqual(expected);
  });
});

describe("parseCsvFile: a German Excel file", () => {
  it("BOM, `;`, CRLF, MAC-Adresse;Bezeichnung;Nebenstelle: the labels are the Bezeichnung", () => {
    const text =
      "\uFEFFMAC-Adresse;Bezeichnung;Nebenstelle\r\n000413A10000;Empfang 0;100\r\n000413A10001;Empfang 1;101\r\n";
    const r = parseCsvFile(Buffer.from(text, "utf8"));
    if (!r.ok) throw new Error(r.error);
    expect(r.delimiter).toBe(";");
    expect(r.headers).toEqual(["MAC-Adresse", "Bezeichnung", "Nebenstelle"]);
    expect(r.mapping).toEqual({ mac: 0, label: 1 });
    expect(r.rows.map((row) => row.label)).toEqual(["Empfang 0", "Empfang 1"]);
  });

  it("a Seriennummer column that holds MACs is the MAC column (snom's serial is its MAC)", () => {
    const r = parseCsvFile(
      Buffer.from("Seriennummer;Nebenstelle;Bezeichnung\n000413A10000;100;Empfang\n000413A10001;101;Lager\n"),
    );
    if (!r.ok) throw new Error(r.error);
    expect(r.mapping).toEqual({ mac: 0, label: 2 });
  });
});
