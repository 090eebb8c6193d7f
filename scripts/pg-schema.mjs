// prisma/schema.prisma (SQLite) is the one hand-edited schema; this derives
// prisma/postgres/schema.prisma from it. Prisma cannot take `provider` from the environment, so each
// provider needs its own schema file and migrations folder (docs/decisions/0014-postgresql.md).
//   node scripts/pg-schema.mjs          write prisma/postgres/schema.prisma
//   node scripts/pg-schema.mjs --check  exit 1 when the committed file is not what this would write
// Differences from the SQLite schema: provider, the generated client's folder (lib/generated/prisma-pg),
// and every DateTime stored as `timestamptz(3)` (an instant, as Prisma's DateTime is; SQLite has no
// type for it and stores ISO 8601 text).
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";

const root = path.resolve(import.meta.dirname, "..");
const source = path.join(root, "prisma", "schema.prisma");
const target = path.join(root, "prisma", "postgres", "schema.prisma");

/** The PostgreSQL schema text for the SQLite schema text `src`; throws when a pattern is missing. */
export function derivePgSchema(src) {
  let out = src
    .replace(
      /datasource db \{[\s\S]*?\n\}/,
      'datasource db {\n  provider = "postgresql"\n  url      = "postgresql://ignored/ignored" // ignored (the adapter in prisma.config.ts wins), but required offline\n}',
    )
    .replace('output     = "../lib/generated/prisma"', 'output     = "../../lib/generated/prisma-pg"');
  // `name DateTime` / `name DateTime?` followed by attributes: add @db.Timestamptz(3) unless present.
  out = out.replace(/^(\s+\w+\s+DateTime\??)([^\n]*)$/gm, (line, head, rest) => {
    if (rest.includes("@db.")) return line;
    const at = rest.indexOf("//");
    const attrs = (at < 0 ? rest : rest.slice(0, at)).trimEnd();
    const comment = at < 0 ? "" : ` ${rest.slice(at)}`;
    return `${head}${attrs} @db.Timestamptz(3)${comment}`;
  });
  if (out === src || !out.includes('provider = "postgresql"') || !out.includes("../../lib/generated/prisma-pg")) {
    throw new Error("pg-schema: the datasource or generator block of prisma/schema.prisma was not found");
  }
  return "// GENERATED from prisma/schema.prisma by scripts/pg-schema.mjs: do not edit, run `npm run db:pg-schema`\n" + out;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const want = derivePgSchema(readFileSync(source, "utf8"));
  if (process.argv.includes("--check")) {
    const have = existsSync(target) ? readFileSync(target, "utf8") : "";
    if (have !== want) {
      console.error("prisma/postgres/schema.prisma is not derived from prisma/schema.prisma: run `npm run db:pg-schema`");
      process.exit(1);
    }
  } else {
    mkdirSync(path.dirname(target), { recursive: true });
    writeFileSync(target, want);
    console.log("wrote prisma/postgres/schema.prisma");
  }
}
