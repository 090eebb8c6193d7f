// `npm run db:new-migration -- <snake_case_name>`: writes a migration from (migration history ->
// prisma/schema.prisma) without applying it; review it, then `npm run db:deploy`.
// (`prisma migrate dev` does not work with the wasm engine here. The diff goes to a temp file
// first: an empty folder inside migrations/ breaks Prisma.)
import { execFileSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, renameSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";

const name = process.argv[2];
if (!name || !/^[a-z0-9_]+$/.test(name)) {
  console.error("usage: npm run db:new-migration -- <snake_case_name>");
  process.exit(2);
}
const tmp = path.join(mkdtempSync(path.join(tmpdir(), "migration-")), "migration.sql");
let code = 0;
try {
  // --exit-code: 0 = no difference, 2 = difference written, 1 = error
  execFileSync(
    "node",
    ["node_modules/prisma/build/index.js", "migrate", "diff", "--exit-code", "--from-migrations", "prisma/migrations",
      "--to-schema-datamodel", "prisma/schema.prisma", "--script", "-o", tmp],
    { stdio: ["ignore", "ignore", "inherit"] },
  );
} catch (e) {
  code = e.status;
  if (code !== 2) process.exit(code ?? 1);
}
if (code === 0) {
  console.log("No schema change: nothing written.");
} else {
  const stamp = new Date().toISOString().replace(/\D/g, "").slice(0, 14);
  const dir = path.join("prisma", "migrations", `${stamp}_${name}`);
  mkdirSync(dir);
  renameSync(tmp, path.join(dir, "migration.sql"));
  console.log(`Wrote ${dir}/migration.sql:\n\n${readFileSync(path.join(dir, "migration.sql"), "utf8")}`);
}
rmSync(path.dirname(tmp), { recursive: true, force: true });
