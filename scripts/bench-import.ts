// Benchmark of the bulk import, through the same code the pages' server actions run: checkImport
// (the preview) then addImport (re-check, digest comparison, commitImport in one transaction)
// against a fresh SQLite database built from the migrations.
//   npm run bench:import [-- --lines 10000] [--kind paste|file]
// Ends with one JSON line: {"lines":…,"preview_ms":…,"commit_ms":…,"accepted":…,"rejected":…}
import { rmSync } from "node:fs";
import { createPrisma } from "../lib/db-core";
import { addImport, checkImport } from "../lib/import/flow";
import { createTestDatabase } from "../tests/support/test-db";
import { createCustomer, createOrganization, createUser } from "../tests/factories";

function arg(name: string, fallback: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i !== -1 && process.argv[i + 1] ? process.argv[i + 1] : fallback;
}

const lines = Number(arg("lines", "10000"));
const kind = arg("kind", "paste") as "paste" | "file";
if (!Number.isInteger(lines) || lines < 1) throw new Error("--lines must be a positive integer");

/** Deterministic mix: 5 % invalid, 2 % duplicates of earlier lines, the rest in rotating notations. */
function generateLines(count: number): string[] {
  const invalid = ["4.135E+127", "413123456", "000413AABBZZ", "FFFFFFFFFFFF", "00:04:13:AA:BB"];
  const out: string[] = [];
  for (let i = 0; i < count; i++) {
    if (i % 20 === 7) {
      out.push(invalid[i % invalid.length]);
      continue;
    }
    if (i % 50 === 13 && i > 13) {
      out.push(out[i - 13]);
      continue;
    }
    const hex = `000413${i.toString(16).toUpperCase().padStart(6, "0")}`;
    const pairs = hex.match(/.{2}/g)!;
    switch (i % 5) {
      case 0:
        out.push(hex);
        break;
      case 1:
        out.push(pairs.join(":").toLowerCase());
        break;
      case 2:
        out.push(pairs.join("-"));
        break;
      case 3:
        out.push(`${hex.slice(0, 4)}.${hex.slice(4, 8)}.${hex.slice(8)}`.toLowerCase());
        break;
      default:
        out.push(pairs.join(" "));
    }
  }
  return out;
}

async function main() {
  const { url, dir } = createTestDatabase("portal-bench-import-");
  const db = createPrisma(url);
  try {
    const org = await createOrganization(db);
    const user = await createUser(db, org.id);
    const customer = await createCustomer(db, org.id, { name: "Bench GmbH", number: "K-1" });
    const actor = { organizationId: org.id, userId: user.id };
    const macs = generateLines(lines);

    const input =
      kind === "file"
        ? {
            kind: "file" as const,
            bytes: Buffer.from(`\uFEFFMAC;Label\r\n${macs.map((m, i) => `${m};Ext ${i}`).join("\r\n")}\r\n`),
            defaultCustomerId: customer.id,
          }
        : { kind: "paste" as const, text: macs.join("\n"), customerId: customer.id };

    const previewStart = performance.now();
    const preview = await checkImport(db, actor, input);
    const previewMs = performance.now() - previewStart;
    if (!preview.ok) throw new Error(`preview failed: ${preview.error}`);
    const { counts } = preview.preview;
    console.log(`preview (${kind}): ${previewMs.toFixed(0)} ms  ${JSON.stringify(counts)}`);

    // "Add" as the page submits it: the same input again plus the digest the preview showed.
    const commitStart = performance.now();
    const result = await addImport(db, actor, input, { digest: preview.digest, moveMacs: [], confirmNonSnom: false });
    const commitMs = performance.now() - commitStart;
    if (!result.ok) throw new Error(`commit failed: ${result.error}`);
    const jobs = await db.syncJob.count({ where: { organizationId: org.id } });
    console.log(
      `commit: ${commitMs.toFixed(0)} ms  created ${result.created}, skipped ${result.skipped}, sync jobs ${jobs}`,
    );

    console.log(
      JSON.stringify({
        lines,
        preview_ms: Math.round(previewMs),
        commit_ms: Math.round(commitMs),
        accepted: result.created,
        rejected: counts.total - counts.ok,
      }),
    );
  } finally {
    await db.$disconnect();
    rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
