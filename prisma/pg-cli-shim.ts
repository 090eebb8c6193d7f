// Adapted from the stack probe that proved it here (../shared/reference/stack-probe/prisma/pg-cli-shim.ts).
// Only prisma.config.ts (the CLI) uses it; the runtime adapter needs none of this (lib/db-core.ts).
// CLI-only fixes for Prisma 6.19.3 (engine "js", wasm schema engine) + @prisma/adapter-pg@6.19.3.
// 1. The engine reads pg_catalog columns of type name (OID 19) and "char" (OID 18), which adapter-pg 6.19.3
//    cannot map: "Column type 'name' | 'char' could not be deserialized from the database."
//    (migrate deploy / dev, db push). Fix: report those catalog columns as text (OID 25).
// 2. connectToShadowDb() builds the shadow pool as { ...config, database }: with { connectionString }
//    the URL's database wins, so "shadow" migrations hit the MAIN database (P3006 "relation already exists").
// 3. Its dispose runs DROP DATABASE before closing the shadow pool -> "database ... is being accessed by
//    other users" and a leftover prisma_migrate_shadow_db_* database.
// Fix for 2+3: create the shadow DB ourselves, connect with discrete fields, DROP ... WITH (FORCE) after.
import { randomUUID } from "node:crypto";
import pg from "pg";
import { PrismaPg } from "@prisma/adapter-pg";

const patched = new WeakSet<object>();
// pg_catalog types the engine reads that adapter-pg 6.19.3 rejects; their text form is fine as TEXT (OID 25).
// 18 "char", 19 name, 22 int2vector, 24 regproc, 30 oidvector, 194 pg_node_tree, 2205 regclass, 2206 regtype
const CATALOG_TEXT_OIDS = new Set([18, 19, 22, 24, 30, 194, 2205, 2206]);

function patchNameType(instance: object) {
  let proto = Object.getPrototypeOf(instance);
  while (proto && !Object.prototype.hasOwnProperty.call(proto, "performIO")) proto = Object.getPrototypeOf(proto);
  if (!proto || patched.has(proto)) return;
  const performIO = proto.performIO;
  proto.performIO = async function (this: unknown, query: unknown) {
    const result = await performIO.call(this, query);
    for (const f of result?.fields ?? []) if (CATALOG_TEXT_OIDS.has(f.dataTypeID)) f.dataTypeID = 25;
    return result;
  };
  patched.add(proto);
}

export function pgPoolConfig(url: string): pg.PoolConfig {
  const u = new URL(url);
  return {
    host: u.hostname,
    port: Number(u.port || 5432),
    user: decodeURIComponent(u.username),
    password: decodeURIComponent(u.password),
    database: decodeURIComponent(u.pathname.slice(1)),
    allowExitOnIdle: true, // else the CLI idles ~10 s (pg idleTimeoutMillis) before exiting
  };
}

async function admin(cfg: pg.PoolConfig, sql: string) {
  const c = new pg.Client({ ...cfg, database: "postgres" });
  await c.connect();
  try { await c.query(sql); } finally { await c.end(); }
}

export function prismaPgForCli(url: string): PrismaPg {
  const cfg = pgPoolConfig(url);
  const factory = new PrismaPg(cfg);
  const connect = factory.connect.bind(factory);
  factory.connect = async () => { const a = await connect(); patchNameType(a); return a; };
  factory.connectToShadowDb = async () => {
    const name = `prisma_migrate_shadow_db_${randomUUID().replaceAll("-", "")}`;
    await admin(cfg, `CREATE DATABASE "${name}"`);
    const shadow = await new PrismaPg({ ...cfg, database: name }).connect();
    patchNameType(shadow);
    const dispose = shadow.dispose.bind(shadow);
    shadow.dispose = async () => {
      await dispose(); // ends the shadow pool first
      await admin(cfg, `DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
    };
    return shadow;
  };
  return factory;
}
