// Raw SQL for the bulk import's hot paths. Through the driver adapter Prisma's createMany costs
// ~200 µs per row and findMany with `in` ~25 µs per MAC; one parameterised multi-row
// `INSERT … VALUES (…),(…)` costs ~60 µs per row and one `SELECT … IN (…)` ~5 µs per MAC. Why,
// and what is written exactly: docs/decisions/0004-bulk-import.md.
//
// Standard SQL only (quoted identifiers, one VALUES list, `ON CONFLICT` as both spell it), so SQLite
// and PostgreSQL both accept it.
// Values go through Prisma.sql, which binds them as parameters with the provider's placeholders and
// serialises a Date exactly as Prisma's own writes do (ISO 8601 text on SQLite, timestamp on
// PostgreSQL). Columns left out take the database default from the migration (syncStatus
// 'pending', attempts 0, version 1); DateTime columns are always passed explicitly because the
// DDL default (CURRENT_TIMESTAMP) is text in a different format than Prisma writes.
import { randomUUID } from "node:crypto";
import { Prisma } from "../generated/prisma/client";
import { phoneKeys } from "../search-key";

/** Anything that runs raw SQL: the client or an interactive transaction. */
export type RawExecutor = { $executeRaw: (query: Prisma.Sql) => PromiseLike<number> };
export type RawQuerier = { $queryRaw: <T>(query: Prisma.Sql) => PromiseLike<T> };

/**
 * Bind parameters per statement. SQLite allows 32766 (PostgreSQL 65535); staying far below keeps
 * statements small enough that their preparation is not the bottleneck.
 */
export const MAX_BIND_PARAMS = 8000;

type Table = "Phone" | "SyncJob" | "SyncEvent";

const quote = (identifier: string) => `"${identifier.replace(/"/g, '""')}"`;

function statements(
  table: Table,
  columns: readonly string[],
  rows: readonly (readonly unknown[])[],
  tail: string,
): Prisma.Sql[] {
  const head = Prisma.raw(`INSERT INTO ${quote(table)} (${columns.map(quote).join(", ")}) VALUES `);
  const end = Prisma.raw(tail ? ` ${tail}` : "");
  const perStatement = Math.max(1, Math.floor(MAX_BIND_PARAMS / columns.length));
  const out: Prisma.Sql[] = [];
  for (let start = 0; start < rows.length; start += perStatement) {
    const values = rows.slice(start, start + perStatement).map((row) => {
      if (row.length !== columns.length)
        throw new Error(`insertRows(${table}): a row has ${row.length} values for ${columns.length} columns`);
      return Prisma.sql`(${Prisma.join(row as unknown[])})`;
    });
    out.push(Prisma.sql`${head}${Prisma.join(values, ",")}${end}`);
  }
  return out;
}

/**
 * Insert `rows` (values in `columns` order) in as few statements as the parameter limit allows.
 * `tail` (a constant of this module, never input) follows the VALUES list: an `ON CONFLICT` clause.
 */
export async function insertRows(
  tx: RawExecutor,
  table: Table,
  columns: readonly string[],
  rows: readonly (readonly unknown[])[],
  tail = "",
): Promise<number> {
  let inserted = 0;
  for (const statement of statements(table, columns, rows, tail)) inserted += await tx.$executeRaw(statement);
  return inserted;
}

/**
 * The statements insertRows sends, unsent: for a batch `$transaction([...])` (the sync writer's
 * history rows). None for no rows.
 */
export function insertStatements(
  table: Table,
  columns: readonly string[],
  rows: readonly (readonly unknown[])[],
): Prisma.Sql[] {
  return rows.length === 0 ? [] : statements(table, columns, rows, "");
}

export type NewPhoneRow = {
  id: string;
  organizationId: string;
  customerId: string;
  mac: string;
  label: string | null;
  model: string | null;
  serial: string | null;
  urlOverride: string | null;
  createdById: string | null;
  /** The import that adds it (commitImport); null or absent for phones added otherwise. */
  importBatchId?: string | null;
};

const PHONE_COLUMNS = [
  "id",
  "organizationId",
  "customerId",
  "mac",
  "label",
  "model",
  "serial",
  "urlOverride",
  "createdById",
  "updatedById",
  "createdAt",
  "updatedAt",
  "searchKey",
  "importBatchId",
] as const;

function phoneValues(p: NewPhoneRow, now: Date): unknown[] {
  return [
    p.id,
    p.organizationId,
    p.customerId,
    p.mac,
    p.label,
    p.model,
    p.serial,
    p.urlOverride,
    p.createdById,
    p.createdById,
    now,
    now,
    phoneKeys(p).searchKey,
    p.importBatchId ?? null,
  ];
}

/** New phones (sync state from the column defaults: pending, 0 attempts; search key from label and serial); a MAC already there is an error. */
export function insertPhones(tx: RawExecutor, phones: readonly NewPhoneRow[], now = new Date()): Promise<number> {
  return insertRows(
    tx,
    "Phone",
    PHONE_COLUMNS,
    phones.map((p) => phoneValues(p, now)),
  );
}

/**
 * New phones whose MAC the organization does not have yet; the others are left alone. Returns the
 * ids of the rows inserted. `INSERT … ON CONFLICT ("organizationId", "mac") DO NOTHING RETURNING
 * "id"` (PostgreSQL 9.5+, SQLite 3.35+), rows in MAC order: two overlapping imports then take the
 * unique index's entries in the same order, so the second waits for the first instead of
 * deadlocking, and never fails: a MAC the other one committed is simply not returned (already
 * present). docs/decisions/0015-concurrency.md.
 */
export async function insertNewPhones(
  tx: RawQuerier,
  phones: readonly NewPhoneRow[],
  now = new Date(),
): Promise<Set<string>> {
  const sorted = [...phones].sort((a, b) => (a.mac < b.mac ? -1 : a.mac > b.mac ? 1 : 0));
  const rows = sorted.map((p) => phoneValues(p, now));
  const inserted = new Set<string>();
  for (const statement of statements("Phone", PHONE_COLUMNS, rows, PHONE_IF_ABSENT)) {
    for (const row of await tx.$queryRaw<{ id: string }[]>(statement)) inserted.add(row.id);
  }
  return inserted;
}

const PHONE_IF_ABSENT = `ON CONFLICT ("organizationId", "mac") DO NOTHING RETURNING "id"`;

const SYNC_JOB_COLUMNS = ["id", "organizationId", "phoneId", "mac", "runAfter", "createdAt", "updatedAt"] as const;

/** One new sync job per phone, due now (version 1, 0 attempts from the column defaults). */
export function insertSyncJobs(
  tx: RawExecutor,
  organizationId: string,
  phones: readonly { id: string; mac: string }[],
  now = new Date(),
): Promise<number> {
  return insertRows(
    tx,
    "SyncJob",
    SYNC_JOB_COLUMNS,
    phones.map((p) => [randomUUID(), organizationId, p.id, p.mac, now, now, now]),
  );
}

/**
 * One statement per chunk that queues each phone: a new job (version 1), or, for a phone that has
 * one (the unique key on "phoneId"), the same job with its version bumped, due `now` and its
 * attempts reset. A job claimed by a worker keeps its claim: the worker sees the new version when
 * it writes the result and runs the job again (docs/decisions/0003). Atomic per row, so two
 * writers queuing the same phone at once both succeed (one inserts, the other bumps); rows in
 * phone id order, so two such writers lock the jobs in the same order and never deadlock.
 */
export function upsertSyncJobs(
  tx: RawExecutor,
  organizationId: string,
  phones: readonly { id: string; mac: string }[],
  now = new Date(),
): Promise<number> {
  const sorted = [...phones].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  return insertRows(
    tx,
    "SyncJob",
    SYNC_JOB_COLUMNS,
    sorted.map((p) => [randomUUID(), organizationId, p.id, p.mac, now, now, now]),
    SYNC_JOB_BUMP,
  );
}

const SYNC_JOB_BUMP =
  `ON CONFLICT ("phoneId") DO UPDATE SET "version" = "SyncJob"."version" + 1, "attempts" = 0, ` +
  `"runAfter" = excluded."runAfter", "updatedAt" = excluded."updatedAt"`;

export type ExistingPhone = { id: string; mac: string; customerId: string; deletedAt: unknown };

/** The organization's phones with one of these (normalised) MACs. `deletedAt` is only tested for null. */
export async function findPhonesByMac(
  db: RawQuerier,
  organizationId: string,
  macs: readonly string[],
): Promise<ExistingPhone[]> {
  const out: ExistingPhone[] = [];
  const perStatement = MAX_BIND_PARAMS - 1;
  for (let start = 0; start < macs.length; start += perStatement) {
    const part = macs.slice(start, start + perStatement);
    const found = await db.$queryRaw<ExistingPhone[]>(
      Prisma.sql`SELECT "id", "mac", "customerId", "deletedAt" FROM "Phone" WHERE "organizationId" = ${organizationId} AND "mac" IN (${Prisma.join(part as string[])})`,
    );
    out.push(...found);
  }
  return out;
}
