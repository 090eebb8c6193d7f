// Server side of the import: preview against the database, then commit in one transaction.
// Takes the client as a parameter and has no "server-only" marker so the benchmark and the
// integration tests can import it; the page reaches it only through a server action.
import { randomUUID } from "node:crypto";
import type { Db } from "../db-core";
import { parseMac } from "../mac";
import { enqueueNewPhones, enqueuePhoneSync } from "../sync/outbox";
import { withTransactionRetry } from "../data/retry";
import { findPhonesByMac, insertNewPhones, type ExistingPhone, type NewPhoneRow } from "./bulk-sql";
import { optimizeDatabase, OPTIMIZE_AFTER_IMPORT_ROWS } from "../db-optimize";
import { buildCustomerMaps, checkRowFields, classifyRows, type Preview } from "./classify";
import { parseCsvFile, type CsvDelimiter } from "./csv";
import { parsePaste } from "./paste";
import { MAX_IMPORT_LINES, type ColumnMapping, type ImportRow } from "./types";

export type ImportActor = { organizationId: string; userId: string };

export type PreviewInput =
  | { kind: "paste"; text: string; customerId: string }
  | {
      kind: "file";
      bytes: Uint8Array;
      mapping?: ColumnMapping;
      /** The mapping is the user's complete choice (the page's column selects), not a correction. */
      exactMapping?: boolean;
      defaultCustomerId?: string;
    };

export type PreviewResult =
  | {
      ok: true;
      preview: Preview;
      /** File imports only: what was read, so the user can correct the mapping. */
      file?: { headers: string[]; hasHeader: boolean; mapping: ColumnMapping; delimiter: CsvDelimiter };
    }
  | { ok: false; error: string };

export type CommitRowInput = {
  mac: string;
  customerId?: string;
  label?: string | null;
  model?: string | null;
  serial?: string | null;
  urlOverride?: string | null;
};

export type CommitInput = {
  /** Default customer for rows without one, and the target of moves that have no row. */
  customerId?: string;
  rows: CommitRowInput[];
  /**
   * Phones that exist for another customer of this organization and should move: a MAC moves to
   * its row's customer, else to `customerId`; `{ mac, customerId }` names the target explicitly
   * (the preview's `targetCustomerId`, for file imports with a customer column).
   */
  moveMacs?: (string | { mac: string; customerId: string })[];
};

export type CommitResult =
  | {
      ok: true;
      created: number;
      moved: number;
      skipped: number;
      createdIds: string[];
      skippedMacs: string[];
      /**
       * Stamped on every phone this import created or moved (Phone.importBatchId): the paste page
       * asks for the progress of exactly these phones by it.
       */
      batchId: string;
    }
  | { ok: false; error: string; problems: { index: number; mac: string; message: string }[] };

const CHUNK = 500;

const TX_OPTIONS = { maxWait: 10_000, timeout: 60_000 };

type Tx = Parameters<Parameters<Db["$transaction"]>[0]>[0];

function chunks<T>(items: T[], size = CHUNK): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

export async function previewImport(db: Db, actor: ImportActor, input: PreviewInput): Promise<PreviewResult> {
  const { organizationId } = actor;
  const customers = await db.customer.findMany({
    where: { organizationId },
    select: { id: true, name: true, number: true },
  });
  const customerIds = new Set(customers.map((c) => c.id));

  let rows: ImportRow[];
  let file: Extract<PreviewResult, { ok: true }>["file"];
  let targetCustomerId: string | undefined;
  if (input.kind === "paste") {
    if (!customerIds.has(input.customerId)) return { ok: false, error: "Choose a customer of your organization." };
    targetCustomerId = input.customerId;
    rows = parsePaste(input.text);
    if (rows.length === 0) return { ok: false, error: "Paste at least one MAC address." };
    if (rows.length > MAX_IMPORT_LINES) {
      return { ok: false, error: `${rows.length} MACs pasted; at most ${MAX_IMPORT_LINES} can be imported at once.` };
    }
  } else {
    if (input.defaultCustomerId !== undefined && !customerIds.has(input.defaultCustomerId)) {
      return { ok: false, error: "Choose a customer of your organization." };
    }
    targetCustomerId = input.defaultCustomerId;
    const parsed = parseCsvFile(input.bytes, { mapping: input.mapping, exactMapping: input.exactMapping });
    if (!parsed.ok) return parsed;
    rows = parsed.rows;
    file = {
      headers: parsed.headers,
      hasHeader: parsed.hasHeader,
      mapping: parsed.mapping,
      delimiter: parsed.delimiter,
    };
  }

  const macs = new Set<string>();
  for (const row of rows) {
    const parsed = parseMac(row.mac);
    if (parsed.ok) macs.add(parsed.mac);
  }
  const names = new Map(customers.map((c) => [c.id, c.name]));
  const existingMacs = new Map<string, { customerId: string; customerName: string }>();
  for (const p of await findPhonesByMac(db, organizationId, [...macs])) {
    existingMacs.set(p.mac, { customerId: p.customerId, customerName: names.get(p.customerId) ?? "" });
  }

  const preview = classifyRows(rows, { existingMacs, ...buildCustomerMaps(customers), targetCustomerId });
  return file ? { ok: true, preview, file } : { ok: true, preview };
}

/**
 * Create the phones (and one sync job each) and move the chosen ones, all or nothing.
 * Idempotent: a MAC that already exists in the organization is skipped, so a repeated submit
 * creates nothing. Everything from the client is re-validated here.
 */
export async function commitImport(db: Db, actor: ImportActor, input: CommitInput): Promise<CommitResult> {
  const { organizationId, userId } = actor;
  const problems: { index: number; mac: string; message: string }[] = [];

  if (input.rows.length > MAX_IMPORT_LINES) {
    return { ok: false, error: `At most ${MAX_IMPORT_LINES} phones can be imported at once.`, problems };
  }

  type Accepted = {
    mac: string;
    customerId: string;
    label: string | null;
    model: string | null;
    serial: string | null;
    urlOverride: string | null;
  };
  const accepted: Accepted[] = [];
  const rowCustomerOf = new Map<string, string>();
  const skippedMacs: string[] = [];
  input.rows.forEach((row, index) => {
    const parsed = parseMac(String(row.mac ?? ""));
    if (!parsed.ok) {
      problems.push({ index, mac: String(row.mac ?? ""), message: parsed.message });
      return;
    }
    const fieldProblem = checkRowFields(row);
    if (fieldProblem) {
      problems.push({ index, mac: parsed.mac, message: fieldProblem.message });
      return;
    }
    const customerId = row.customerId ?? input.customerId;
    if (!customerId) {
      problems.push({ index, mac: parsed.mac, message: "No customer for this phone." });
      return;
    }
    if (rowCustomerOf.has(parsed.mac)) {
      skippedMacs.push(parsed.mac);
      return;
    }
    rowCustomerOf.set(parsed.mac, customerId);
    accepted.push({
      mac: parsed.mac,
      customerId,
      label: clean(row.label),
      model: clean(row.model),
      serial: clean(row.serial),
      urlOverride: clean(row.urlOverride),
    });
  });

  const moves: { mac: string; customerId: string }[] = [];
  const moveSeen = new Set<string>();
  for (const [index, move] of (input.moveMacs ?? []).entries()) {
    const raw = typeof move === "object" && move !== null ? move.mac : move;
    const explicitCustomer = typeof move === "object" && move !== null ? move.customerId : undefined;
    const parsed = parseMac(String(raw ?? ""));
    if (!parsed.ok) {
      problems.push({ index, mac: String(raw), message: `Move: ${parsed.message}` });
      continue;
    }
    if (moveSeen.has(parsed.mac)) continue;
    moveSeen.add(parsed.mac);
    const customerId = explicitCustomer ?? rowCustomerOf.get(parsed.mac) ?? input.customerId;
    if (!customerId) {
      problems.push({ index, mac: parsed.mac, message: "Move: no customer to move this phone to." });
      continue;
    }
    moves.push({ mac: parsed.mac, customerId });
  }
  if (problems.length > 0) {
    return {
      ok: false,
      error: `${problems.length} row${problems.length === 1 ? " is" : "s are"} not valid; nothing was imported.`,
      problems,
    };
  }

  // Every customer id must belong to the actor's organization; a foreign id is treated as missing.
  const wantedCustomers = [...new Set([...accepted.map((a) => a.customerId), ...moves.map((m) => m.customerId)])];
  const ownCustomers = new Set<string>();
  for (const part of chunks(wantedCustomers)) {
    const found = await db.customer.findMany({ where: { organizationId, id: { in: part } }, select: { id: true } });
    for (const c of found) ownCustomers.add(c.id);
  }
  const missing = wantedCustomers.filter((id) => !ownCustomers.has(id));
  if (missing.length > 0) {
    return { ok: false, error: "A chosen customer does not exist (any more); nothing was imported.", problems };
  }

  // Retried as a whole when it loses a race (SQLite: another import committed since this one read;
  // PostgreSQL: a deadlock with some other writer): everything it wrote was rolled back.
  const skippedBefore = [...skippedMacs];
  const batchId = randomUUID();
  const result = await withTransactionRetry(() =>
    db.$transaction(async (tx) => {
      const skipped = [...skippedBefore];
      // Re-check existence inside the transaction: another import may have run since the preview.
      const allMacs = [...new Set([...accepted.map((a) => a.mac), ...moves.map((m) => m.mac)])];
      const existing = new Map<string, ExistingPhone>();
      for (const p of await findPhonesByMac(tx, organizationId, allMacs)) existing.set(p.mac, p);

      const now = new Date();
      const toCreate: NewPhoneRow[] = [];
      for (const row of accepted) {
        if (existing.has(row.mac)) {
          if (!moveSeen.has(row.mac)) skipped.push(row.mac);
          continue;
        }
        toCreate.push({ id: randomUUID(), organizationId, createdById: userId, importBatchId: batchId, ...row });
      }
      // Multi-row INSERTs instead of createMany (docs/decisions/0004-bulk-import.md) that leave out
      // a MAC an overlapping import committed meanwhile (docs/decisions/0015-concurrency.md).
      const inserted = await insertNewPhones(tx, toCreate, now);
      const created = toCreate.filter((p) => inserted.has(p.id)).map((p) => ({ id: p.id, mac: p.mac }));
      for (const p of toCreate) if (!inserted.has(p.id)) skipped.push(p.mac);
      await enqueueNewPhones(tx, organizationId, created);

      const createdMacs = new Set(created.map((c) => c.mac));
      const movedIds = await movePhones(tx, organizationId, userId, batchId, moves, existing, createdMacs, skipped);
      if (movedIds.length > 0) await enqueuePhoneSync(tx, organizationId, movedIds);

      return {
        ok: true as const,
        created: created.length,
        moved: movedIds.length,
        skipped: skipped.length,
        createdIds: created.map((c) => c.id),
        skippedMacs: skipped,
        batchId,
      };
    }, TX_OPTIONS),
  );
  // A big import can change the shape of the data enough to mislead the planner: refresh now.
  if (result.created >= OPTIMIZE_AFTER_IMPORT_ROWS) await optimizeDatabase(db);
  return result;
}

/** Move existing phones to their new customer; phones being removed or already there are skipped. */
async function movePhones(
  tx: Tx,
  organizationId: string,
  userId: string,
  batchId: string,
  moves: { mac: string; customerId: string }[],
  existing: Map<string, ExistingPhone>,
  createdMacs: Set<string>,
  skippedMacs: string[],
): Promise<string[]> {
  const byCustomer = new Map<string, string[]>();
  for (const move of moves) {
    if (createdMacs.has(move.mac)) continue; // it did not exist after all: created above
    const phone = existing.get(move.mac);
    if (!phone || phone.deletedAt || phone.customerId === move.customerId) {
      skippedMacs.push(move.mac);
      continue;
    }
    byCustomer.set(move.customerId, [...(byCustomer.get(move.customerId) ?? []), phone.id]);
  }
  const moved: string[] = [];
  for (const [customerId, ids] of byCustomer) {
    for (const part of chunks(ids)) {
      await tx.phone.updateMany({
        where: { organizationId, id: { in: part } },
        data: { customerId, updatedById: userId, importBatchId: batchId },
      });
      moved.push(...part);
    }
  }
  return moved;
}

function clean(value: string | null | undefined): string | null {
  const v = value?.trim();
  return v ? v : null;
}
