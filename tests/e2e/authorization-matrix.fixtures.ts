import { execFileSync } from "node:child_process";
// Two organizations for the authorization matrix: A (a SALES user and an admin, a customer, a phone)
// and B (an admin who tries A's ids). Their names, numbers, MACs and e-mails are markers that must
// never show up in a body served to someone outside their organization.
import Database from "better-sqlite3";
import type { Db } from "../../lib/db-core";
import { createCustomer, createOrganization, createUser, snomMac } from "../factories";
import type { FixtureObject } from "./authorization-matrix.rows";

export type Credentials = { email: string; password: string };

export type MatrixFixtures = {
  orgA: string;
  orgB: string;
  /** Org A's objects that fill dynamic segments (`params`). */
  objects: Record<FixtureObject, string>;
  markersA: string[];
  markersB: string[];
  sales: Credentials;
  admin: Credentials;
  foreignAdmin: Credentials;
  uniq: () => string;
  /** A snom MAC no organization has yet. */
  newMac: () => string;
  /** Fresh objects of org A, one per call, so every cell acts on an object of its own. */
  newCustomer: () => Promise<{ id: string }>;
  newPhone: () => Promise<{ id: string; customerId: string }>;
  newUser: () => Promise<{ id: string }>;
  newProfile: () => Promise<{ id: string }>;
  /** A finished reconcile report of org A with one drifted phone (its MAC returned too). */
  newReconcileRun: () => Promise<{ id: string; mac: string }>;
  /** A phone of org A parked as owned by another account (checked a moment ago, so no schedule touches it). */
  newOwnedPhone: () => Promise<{ id: string }>;
  /** An applied re-point of one fresh phone of org A, ready to be rolled back. */
  newRepointRun: () => Promise<{ id: string }>;
};

export async function createMatrixFixtures(db: Db): Promise<MatrixFixtures> {
  let n = 0;
  const uniq = () => `${Date.now().toString(36)}${(++n).toString(36)}`;
  let macs = 0xa00000;
  const newMac = () => snomMac(++macs);

  const orgA = await createOrganization(db, { name: "Alpha Marker Telecom" });
  const salesA = await createUser(db, orgA.id, {
    role: "SALES",
    name: "Alpha Sales Person",
    email: "sales@alpha-marker.example",
  });
  const adminA = await createUser(db, orgA.id, {
    role: "ADMIN",
    name: "Alpha Admin Person",
    email: "admin@alpha-marker.example",
  });
  const customerA = await createCustomer(db, orgA.id, { name: "Alpha Marker Bakery", number: "ALPHA-4711" });
  const phoneA = await db.phone.create({
    data: { organizationId: orgA.id, customerId: customerA.id, mac: "000413A1FA00", label: "Alpha Marker Desk" },
  });

  const orgB = await createOrganization(db, { name: "Bravo Marker Reseller" });
  const adminB = await createUser(db, orgB.id, {
    role: "ADMIN",
    name: "Bravo Admin Person",
    email: "admin@bravo-marker.example",
  });
  const customerB = await createCustomer(db, orgB.id, { name: "Bravo Marker Butcher", number: "BRAVO-0815" });
  await db.phone.create({
    data: { organizationId: orgB.id, customerId: customerB.id, mac: "000413B2FB00", label: "Bravo Marker Desk" },
  });

  const newCustomer = () => createCustomer(db, orgA.id, { name: `Fresh ${uniq()}` });
  return {
    orgA: orgA.id,
    orgB: orgB.id,
    objects: { customer: customerA.id, phone: phoneA.id, user: salesA.id },
    markersA: ["Alpha Marker", "Alpha Sales Person", "alpha-marker.example", "ALPHA-4711", "000413A1FA00"],
    markersB: ["Bravo Marker", "Bravo Admin Person", "bravo-marker.example", "BRAVO-0815", "000413B2FB00"],
    sales: salesA,
    admin: adminA,
    foreignAdmin: adminB,
    uniq,
    newMac,
    newCustomer,
    newPhone: async () => {
      const customer = await newCustomer();
      return db.phone.create({
        data: { organizationId: orgA.id, customerId: customer.id, mac: newMac(), syncStatus: "failed" },
        select: { id: true, customerId: true },
      });
    },
    newUser: () => createUser(db, orgA.id, { role: "SALES", email: `fresh-${uniq()}@example.test` }),
    newProfile: () =>
      db.provisioningProfile.create({
        data: { organizationId: orgA.id, name: `Profile ${uniq()}` },
        select: { id: true },
      }),
    newReconcileRun: async () => {
      const customer = await newCustomer();
      const phone = await db.phone.create({
        data: { organizationId: orgA.id, customerId: customer.id, mac: newMac(), syncStatus: "synced" },
        select: { id: true, mac: true },
      });
      const entry = {
        mac: phone.mac,
        category: "drift",
        phoneId: phone.id,
        customerName: customer.name,
        expectedUrl: "https://prov.example.net/snom/{mac}.xml",
        serviceUrl: "https://drifted.example.net/{mac}.xml",
        ownerCompany: "Alpha Marker Telecom",
        error: null,
        fixed: null,
      };
      const run = await db.reconcileRun.create({
        data: { organizationId: orgA.id, kind: "reconcile", trigger: "test", status: "done", entriesJson: JSON.stringify([entry]), finishedAt: new Date() },
        select: { id: true },
      });
      return { id: run.id, mac: phone.mac };
    },
    newRepointRun: async () => {
      const customer = await newCustomer();
      const newUrl = `https://moved-${uniq()}.example.net/{mac}.xml`;
      const phone = await db.phone.create({
        data: { organizationId: orgA.id, customerId: customer.id, mac: newMac(), syncStatus: "synced", urlOverride: newUrl },
        select: { id: true, mac: true },
      });
      const item = { phoneId: phone.id, mac: phone.mac, oldOverride: null, oldUrl: "https://prov.example.net/snom/{mac}.xml", newUrl };
      return db.reconcileRun.create({
        data: { organizationId: orgA.id, kind: "repoint", trigger: "test", status: "applied", total: 1, entriesJson: JSON.stringify([item]), finishedAt: new Date() },
        select: { id: true },
      });
    },
    newOwnedPhone: async () => {
      const customer = await newCustomer();
      return db.phone.create({
        data: { organizationId: orgA.id, customerId: customer.id, mac: newMac(), syncStatus: "owned_elsewhere", ownerCheckedAt: new Date() },
        select: { id: true },
      });
    },
  };
}

/**
 * Every row of every table (or only one organization's rows), as one comparable string. Read with a
 * separate connection (SQLite file or psql), so it sees exactly what the portal committed.
 */
export function snapshotDatabase(databaseUrl: string, organizationId?: string): string {
  if (!databaseUrl.startsWith("file:")) return snapshotPostgres(databaseUrl, organizationId);
  const file = databaseUrl.replace(/^file:/, "");
  const sqlite = new Database(file, { readonly: true, fileMustExist: true });
  try {
    const tables = sqlite
      .prepare(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name <> '_prisma_migrations' ORDER BY name",
      )
      .all() as { name: string }[];
    const out: Record<string, unknown[]> = {};
    for (const { name } of tables) {
      const columns = (sqlite.prepare(`PRAGMA table_info("${name}")`).all() as { name: string }[]).map((c) => c.name);
      const scope = name === "Organization" ? "id" : columns.includes("organizationId") ? "organizationId" : null;
      // A table without an organization column has no rows of one organization.
      if (organizationId !== undefined && !scope) continue;
      out[name] =
        organizationId !== undefined && scope
          ? sqlite.prepare(`SELECT * FROM "${name}" WHERE "${scope}" = ? ORDER BY rowid`).all(organizationId)
          : sqlite.prepare(`SELECT * FROM "${name}" ORDER BY rowid`).all();
    }
    return JSON.stringify(out);
  } finally {
    sqlite.close();
  }
}

function psql(url: string, sql: string): string {
  return execFileSync("psql", [url, "-v", "ON_ERROR_STOP=1", "-At", "-c", sql], { encoding: "utf8", maxBuffer: 256 * 1024 * 1024 });
}

let pgTables: { name: string; scope: string | null; ordered: boolean }[] | null = null;

/** One psql call per snapshot (the table list is read once): slow snapshots let keep-alive sockets expire. */
function snapshotPostgres(url: string, organizationId?: string): string {
  pgTables ??= psql(
    url,
    `SELECT t.table_name || '|' || string_agg(c.column_name, ',') FROM information_schema.tables t
       JOIN information_schema.columns c ON c.table_schema = t.table_schema AND c.table_name = t.table_name
       WHERE t.table_schema = 'public' AND t.table_type = 'BASE TABLE' AND t.table_name <> '_prisma_migrations'
       GROUP BY t.table_name ORDER BY t.table_name`,
  )
    .split("\n")
    .filter(Boolean)
    .map((line) => {
      const [name, cols] = line.split("|");
      const columns = cols.split(",");
      const scope = name === "Organization" ? "id" : columns.includes("organizationId") ? "organizationId" : null;
      return { name, scope, ordered: columns.includes("id") };
    });
  const parts: string[] = [];
  for (const { name, scope, ordered } of pgTables) {
    // A table without an organization column has no rows of one organization.
    if (organizationId !== undefined && !scope) continue;
    const where = organizationId !== undefined && scope ? ` WHERE "${scope}" = '${organizationId.replace(/'/g, "''")}'` : "";
    parts.push(`'${name}', (SELECT COALESCE(json_agg(t${ordered ? ' ORDER BY t."id"' : ""}), '[]') FROM "${name}" t${where})`);
  }
  return parts.length ? psql(url, `SELECT json_build_object(${parts.join(", ")})`) : "{}";
}
