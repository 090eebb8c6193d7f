// The paste box: turn free text into rows. Pure, so the browser can preview while the user types.
//
// Rules, per line (blank lines are ignored, line numbers are kept for messages):
// 1. If the whole line is one MAC (in any notation, including `00 04 13 AA BB CC`), it is one row.
// 2. If the line contains a tab, `;` or `,` it is split into cells on the first of those present
//    (tab, then `;`, then `,`). When the second cell is itself a valid MAC, every cell is a MAC
//    (`mac1, mac2, mac3`); otherwise the cells are the columns [mac, label, model] and any further
//    cells are ignored. A label or model never looks like a MAC, so the two cannot be confused.
// 3. Otherwise the line is split on whitespace. When every token is at least 6 characters long
//    each token is its own MAC (valid or not, so each gets its own message); otherwise
//    (`00 04 13 AA BB`) the whole line is one MAC, so the message speaks about what was typed.
// 4. A first line whose first cell is a MAC column name (`MAC`, `MAC-Adresse`, …) is a spreadsheet's
//    header row and is skipped.
import { parseMac, type MacRejection } from "../mac";
import type { ImportRow } from "./types";
import { isMacHeader } from "./headers";

export type ParsedLine = ImportRow;

const SCI_TAIL = /^\d+E[+-]?\d+$/i;
const SPREADSHEET_REASONS = new Set<MacRejection>(["scientific_notation", "spreadsheet_number", "lost_leading_zeros"]);

export function parsePaste(text: string): ParsedLine[] {
  const out: ParsedLine[] = [];
  const lines = text.split(/\r\n|\r|\n/);
  let seenContent = false;
  for (let i = 0; i < lines.length; i++) {
    const lineText = lines[i].replace(/^\uFEFF/, "").trim();
    if (lineText === "") continue;
    const line = i + 1;
    // A spreadsheet copy often starts with its header row ("MAC⇥Nebenstelle⇥Modell"): not data.
    const isFirst = !seenContent;
    seenContent = true;
    if (isFirst && isMacHeader(lineText.split(/[\t;,]/)[0].trim())) continue;
    const whole = parseMac(lineText);
    // Spreadsheet numbers (4,135E+127, 413000000001,00, 413,123,456) hold commas: one value, not cells.
    if (whole.ok || SPREADSHEET_REASONS.has(whole.reason)) {
      out.push({ line, mac: lineText });
      continue;
    }
    const delimiter = lineText.includes("\t")
      ? "\t"
      : lineText.includes(";")
        ? ";"
        : lineText.includes(",")
          ? ","
          : null;
    if (delimiter) {
      const cells = splitCells(lineText, delimiter);
      const nonEmpty = cells.filter((c) => c !== "");
      if (nonEmpty.length === 0) continue;
      if (cells.length > 1 && cells[1] !== "" && parseMac(cells[1]).ok) {
        for (const cell of nonEmpty) out.push({ line, mac: cell });
        continue;
      }
      const row: ParsedLine = { line, mac: cells[0] };
      if (cells[1]) row.label = cells[1];
      if (cells[2]) row.model = cells[2];
      out.push(row);
      continue;
    }
    const tokens = lineText.split(/\s+/);
    if (tokens.length > 1 && tokens.every((t) => t.length >= 6)) {
      for (const token of tokens) out.push({ line, mac: token });
    } else {
      out.push({ line, mac: lineText });
    }
  }
  return out;
}

function splitCells(lineText: string, delimiter: string): string[] {
  const raw = lineText.split(delimiter);
  // `4,135E+127` is one (damaged) value in German notation, not two cells.
  const cells: string[] = [];
  for (let i = 0; i < raw.length; i++) {
    if (delimiter === "," && /^\s*\d+$/.test(raw[i]) && i + 1 < raw.length && SCI_TAIL.test(raw[i + 1].trim())) {
      cells.push(`${raw[i].trim()},${raw[i + 1].trim()}`);
      i++;
    } else {
      cells.push(unquote(raw[i].trim()));
    }
  }
  return cells;
}

function unquote(cell: string): string {
  return cell.length >= 2 && cell.startsWith('"') && cell.endsWith('"')
    ? cell.slice(1, -1).replace(/""/g, '"').trim()
    : cell;
}
