// Classify parsed rows before anything is written: what would be created, what is wrong and why.
// Pure and fast (one pass, Map lookups): the server runs it for the preview and the browser may too.
import { checkProvisioningUrl, trimUrlInput } from "../urls";
import { parseMac, type MacRejection } from "../mac";
import type { ImportRow } from "./types";
import { numberKey } from "../search-key";

export type CustomerRef = { id: string; name: string };

export type ClassifyContext = {
  /** MACs of this input that already exist in the organization (normalised → owner). */
  existingMacs: Map<string, { customerId: string; customerName: string }>;
  customersByNumber: Map<string, CustomerRef>;
  /** Keyed by lowercased name; `null` when two customers share the name (ambiguous). */
  customersByName: Map<string, CustomerRef | null>;
  /** The paste box's customer, or the file import's default for rows without a customer column. */
  targetCustomerId?: string;
};

export type InvalidReason = MacRejection | "invalid_url" | "too_long";

export type OkRow = {
  line: number;
  status: "ok";
  mac: string;
  isSnom: boolean;
  /** "not a snom prefix" when the MAC is not one of snom's; the row is still importable. */
  warning?: string;
  customerId: string;
  label?: string;
  model?: string;
  serial?: string;
  urlOverride?: string;
};

export type RowVerdict =
  | OkRow
  | { line: number; status: "invalid"; input: string; reason: InvalidReason; message: string }
  | { line: number; status: "duplicate"; mac: string; firstLine: number; message: string }
  | {
      line: number;
      status: "exists";
      mac: string;
      customerId: string;
      customerName: string;
      /** The phone belongs to another customer than this row's target: it can be moved instead. */
      canMove: boolean;
      /** The customer the phone would be moved to (when `canMove`). */
      targetCustomerId?: string;
      message: string;
    }
  | { line: number; status: "unknown_customer"; mac: string; customer: string; message: string };

export type VerdictStatus = RowVerdict["status"];

export type Preview = {
  rows: RowVerdict[];
  counts: Record<VerdictStatus, number> & { total: number; notSnom: number };
};

export const NOT_SNOM_WARNING = "not a snom prefix";
export const MAX_TEXT_FIELD = 200;
export const MAX_URL_LENGTH = 2000;

/**
 * Index customers for classification; a name shared by two customers maps to `null`. Numbers by
 * their key (`numberKey`: case ignored, as the unique index does), so "k-100" finds "K-100".
 */
export function buildCustomerMaps(customers: { id: string; name: string; number: string }[]): {
  customersByNumber: Map<string, CustomerRef>;
  customersByName: Map<string, CustomerRef | null>;
} {
  const customersByNumber = new Map<string, CustomerRef>();
  const customersByName = new Map<string, CustomerRef | null>();
  for (const c of customers) {
    const ref = { id: c.id, name: c.name };
    customersByNumber.set(numberKey(c.number), ref);
    const key = c.name.trim().toLowerCase();
    customersByName.set(key, customersByName.has(key) ? null : ref);
  }
  return { customersByNumber, customersByName };
}

/** Problems with the optional fields, shared with the server-side commit. */
export function checkRowFields(row: {
  label?: string | null;
  model?: string | null;
  serial?: string | null;
  urlOverride?: string | null;
}): { reason: InvalidReason; message: string } | null {
  for (const field of ["label", "model", "serial"] as const) {
    const value = row[field];
    if (value && value.length > MAX_TEXT_FIELD) {
      return {
        reason: "too_long",
        message: `The ${field} is ${value.length} characters long; at most ${MAX_TEXT_FIELD} are allowed.`,
      };
    }
  }
  const url = row.urlOverride === undefined || row.urlOverride === null ? undefined : trimUrlInput(row.urlOverride);
  if (url) {
    if (url.length > MAX_URL_LENGTH)
      return { reason: "too_long", message: `The URL is longer than ${MAX_URL_LENGTH} characters.` };
    const check = checkProvisioningUrl(url);
    if (!check.ok) return { reason: "invalid_url", message: check.message };
  }
  return null;
}

export function classifyRows(rows: ImportRow[], context: ClassifyContext): Preview {
  const counts = { ok: 0, invalid: 0, duplicate: 0, exists: 0, unknown_customer: 0, total: rows.length, notSnom: 0 };
  const firstLineOf = new Map<string, number>();
  const out: RowVerdict[] = new Array(rows.length);

  for (let i = 0; i < rows.length; i++) {
    const row = rows[i];
    const verdict = classifyRow(row, context, firstLineOf);
    out[i] = verdict;
    counts[verdict.status]++;
    if (verdict.status === "ok" && !verdict.isSnom) counts.notSnom++;
  }
  return { rows: out, counts };
}

function classifyRow(row: ImportRow, context: ClassifyContext, firstLineOf: Map<string, number>): RowVerdict {
  const { line } = row;
  const parsed = parseMac(row.mac);
  if (!parsed.ok) return { line, status: "invalid", input: row.mac, reason: parsed.reason, message: parsed.message };
  const mac = parsed.mac;

  const first = firstLineOf.get(mac);
  if (first !== undefined) {
    return { line, status: "duplicate", mac, firstLine: first, message: `${mac} is already on line ${first}.` };
  }
  firstLineOf.set(mac, line);

  const fieldProblem = checkRowFields(row);
  if (fieldProblem) return { line, status: "invalid", input: row.mac, ...fieldProblem };

  const customer = resolveCustomer(row, context);
  const existing = context.existingMacs.get(mac);
  if (existing) {
    const targetId = customer.ok ? customer.id : undefined;
    const canMove = targetId !== undefined && targetId !== existing.customerId;
    return {
      line,
      status: "exists",
      mac,
      customerId: existing.customerId,
      customerName: existing.customerName,
      canMove,
      ...(canMove ? { targetCustomerId: targetId } : {}),
      message: canMove
        ? `${mac} already belongs to ${existing.customerName}; it can be moved.`
        : `${mac} is already registered${targetId === existing.customerId ? " for this customer" : ` to ${existing.customerName}`}.`,
    };
  }
  if (!customer.ok)
    return { line, status: "unknown_customer", mac, customer: customer.given, message: customer.message };

  const verdict: OkRow = { line, status: "ok", mac, isSnom: parsed.isSnom, customerId: customer.id };
  if (!parsed.isSnom) verdict.warning = NOT_SNOM_WARNING;
  if (row.label) verdict.label = row.label;
  if (row.model) verdict.model = row.model;
  if (row.serial) verdict.serial = row.serial;
  if (row.urlOverride) verdict.urlOverride = trimUrlInput(row.urlOverride);
  return verdict;
}

function resolveCustomer(
  row: ImportRow,
  context: ClassifyContext,
): { ok: true; id: string } | { ok: false; given: string; message: string } {
  const number = row.customerNumber?.trim();
  const name = row.customerName?.trim();
  if (!number && !name) {
    if (context.targetCustomerId) return { ok: true, id: context.targetCustomerId };
    return {
      ok: false,
      given: "",
      message: "No customer for this row: add a customer column or choose a default customer.",
    };
  }
  if (number) {
    const byNumber = context.customersByNumber.get(numberKey(number));
    if (byNumber) return { ok: true, id: byNumber.id };
  }
  if (name) {
    const byName = context.customersByName.get(name.toLowerCase());
    if (byName) return { ok: true, id: byName.id };
    if (byName === null) {
      return {
        ok: false,
        given: name,
        message: `More than one customer is called “${name}”: use the customer number instead.`,
      };
    }
    // A customer column often holds numbers: try the name as a number too.
    const nameAsNumber = context.customersByNumber.get(numberKey(name));
    if (nameAsNumber) return { ok: true, id: nameAsNumber.id };
  }
  if (number && !name) {
    const numberAsName = context.customersByName.get(number.toLowerCase());
    if (numberAsName) return { ok: true, id: numberAsName.id };
  }
  const given = number ?? name ?? "";
  return {
    ok: false,
    given,
    message: `No customer “${given}” in your organization (neither a customer number nor a name).`,
  };
}
