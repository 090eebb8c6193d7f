// Query plans of the SQL Prisma really sends: collect statements through createPrisma's
// `onQuery`, then ask SQLite how it runs each one (EXPLAIN QUERY PLAN on a second, read-only
// connection to the same file). Used by the query-plan tests and `npm run bench:browse`.
import Database from "better-sqlite3";

export type CapturedQuery = { sql: string; params: unknown[] };
export type QueryPlan = { sql: string; plan: string[] };

/** A sink for createPrisma's `onQuery`; `take()` returns and forgets what was collected. */
export function queryRecorder() {
  let queries: CapturedQuery[] = [];
  return {
    onQuery: (sql: string, params: string) => {
      let parsed: unknown[] = [];
      try {
        parsed = JSON.parse(params) as unknown[];
      } catch {
        /* not JSON: plan without parameters */
      }
      queries.push({ sql, params: parsed });
    },
    take(): CapturedQuery[] {
      const out = queries;
      queries = [];
      return out;
    },
  };
}

/** EXPLAIN QUERY PLAN of each SELECT, as its detail lines ("SEARCH Phone USING INDEX …"). */
export function explain(file: string, queries: CapturedQuery[]): QueryPlan[] {
  const db = new Database(file, { readonly: true });
  try {
    return queries
      .filter((q) => /^\s*SELECT/i.test(q.sql))
      .map((q) => ({
        sql: q.sql,
        plan: (db.prepare(`EXPLAIN QUERY PLAN ${q.sql}`).all(...q.params.map(bindable)) as { detail: string }[]).map(
          (r) => r.detail,
        ),
      }));
  } finally {
    db.close();
  }
}

function bindable(v: unknown): unknown {
  if (typeof v === "boolean") return v ? 1 : 0;
  if (v === null || typeof v === "number" || typeof v === "string" || typeof v === "bigint") return v;
  return String(v);
}
