// The two steps the import pages run on the server: check (preview) and add (commit). The commit
// never trusts rows from the browser: it re-parses the same input, re-classifies it, makes sure
// the accepted set is the one the user saw (digest), then commits it in one transaction.
// Like ./commit, no "server-only" marker so the benchmark can run exactly this code; the pages
// reach it only through their server actions.
import { createHash } from "node:crypto";
import type { Db } from "../db-core";
import { checkPhone } from "../redirection/client";
import type { RdsAccount } from "../redirection/types";
import type { OkRow, Preview } from "./classify";
import { commitImport, previewImport, type ImportActor, type PreviewInput, type PreviewResult } from "./commit";
import { MAX_IMPORT_LINES } from "./types";
import type { SnomCheck } from "./view";

export type CheckedPreview = Extract<PreviewResult, { ok: true }> & { digest: string };

/** A short fingerprint of what "Add" would write: the accepted rows with every field. */
export function acceptedDigest(preview: Preview): string {
  const hash = createHash("sha256");
  for (const row of preview.rows) {
    if (row.status !== "ok") continue;
    hash.update(
      [row.mac, row.customerId, row.label ?? "", row.model ?? "", row.serial ?? "", row.urlOverride ?? ""].join(
        "\u0001",
      ),
    );
    hash.update("\n");
  }
  return hash.digest("hex").slice(0, 32);
}

/** Lines with something on them, counted before any parsing (the limit's error must be cheap). */
export function countContentLines(text: string): number {
  let count = 0;
  for (const line of text.split(/\r\n|\r|\n/)) if (line.trim() !== "") count++;
  return count;
}

export function tooManyLinesMessage(lines: number): string {
  return `${lines} lines pasted; at most ${MAX_IMPORT_LINES} can be checked at once. Split the list and import it in parts.`;
}

export async function checkImport(
  db: Db,
  actor: ImportActor,
  input: PreviewInput,
): Promise<{ ok: false; error: string } | CheckedPreview> {
  if (input.kind === "paste") {
    const lines = countContentLines(input.text);
    if (lines > MAX_IMPORT_LINES) return { ok: false, error: tooManyLinesMessage(lines) };
  }
  const result = await previewImport(db, actor, input);
  if (!result.ok) return result;
  return { ...result, digest: acceptedDigest(result.preview) };
}

export type AddImportOptions = {
  /** The digest the user's preview showed; a different accepted set is refused (not written). */
  digest: string;
  /** MACs the user ticked "move here" for; only rows the fresh preview offers a move for count. */
  moveMacs: string[];
  /** The user ticked "I checked these non-snom MACs". */
  confirmNonSnom: boolean;
};

export type AddImportResult =
  | { ok: true; created: number; moved: number; skipped: number; customerIds: string[]; batchId: string }
  /** Nothing was written; `preview` (when present) is the fresh state to show instead. */
  | { ok: false; error: string; preview?: CheckedPreview };

export async function addImport(
  db: Db,
  actor: ImportActor,
  input: PreviewInput,
  opts: AddImportOptions,
): Promise<AddImportResult> {
  const checked = await checkImport(db, actor, input);
  if (!checked.ok) return checked;
  const { preview } = checked;

  const wantedMoves = new Set(opts.moveMacs);
  const moves = preview.rows.flatMap((r) =>
    r.status === "exists" && r.canMove && r.targetCustomerId && wantedMoves.has(r.mac)
      ? [{ mac: r.mac, customerId: r.targetCustomerId }]
      : [],
  );
  const accepted = preview.rows.filter((r): r is OkRow => r.status === "ok");

  if (checked.digest !== opts.digest) {
    return {
      ok: false,
      error:
        "The list changed since it was checked (edited, or phones were added meanwhile). Nothing was added: review the new check and add again.",
      preview: checked,
    };
  }
  if (accepted.length === 0 && moves.length === 0) {
    return { ok: false, error: "Nothing to add: no line is ok and no phone is chosen to move here.", preview: checked };
  }
  if (preview.counts.notSnom > 0 && !opts.confirmNonSnom) {
    return {
      ok: false,
      error: `${preview.counts.notSnom} MAC${preview.counts.notSnom === 1 ? " does" : "s do"} not start with a snom prefix: tick “I checked these non-snom MACs” to add them.`,
      preview: checked,
    };
  }

  const result = await commitImport(db, actor, {
    customerId: input.kind === "paste" ? input.customerId : input.defaultCustomerId,
    rows: accepted.map((r) => ({
      mac: r.mac,
      customerId: r.customerId,
      label: r.label,
      model: r.model,
      serial: r.serial,
      urlOverride: r.urlOverride,
    })),
    moveMacs: moves,
  });
  if (!result.ok) return { ok: false, error: result.error, preview: checked };
  const customerIds = [...new Set([...accepted.map((r) => r.customerId), ...moves.map((m) => m.customerId)])];
  return {
    ok: true,
    created: result.created,
    moved: result.moved,
    skipped: result.skipped,
    customerIds,
    batchId: result.batchId,
  };
}

export const SNOM_CHECK_CONCURRENCY = 8;

/**
 * Ask the redirection service about each MAC (checkPhone), at most `concurrency` calls at a time.
 * Never throws: a failed call is an `error` verdict with the client's message.
 */
export async function checkMacsWithSnom(
  account: RdsAccount,
  macs: string[],
  concurrency = SNOM_CHECK_CONCURRENCY,
  check: typeof checkPhone = checkPhone,
): Promise<Record<string, SnomCheck>> {
  const out: Record<string, SnomCheck> = {};
  let next = 0;
  async function lane() {
    while (next < macs.length) {
      const mac = macs[next++];
      const result = await check(account, mac);
      if (result.kind === "ok") out[mac] = { verdict: "ours" };
      else if (result.kind === "no_such_mac") out[mac] = { verdict: "free" };
      else if (result.kind === "owned_by_other_user")
        out[mac] = { verdict: "owned_by_other_user", message: result.message };
      else out[mac] = { verdict: "error", message: result.message };
    }
  }
  await Promise.all(Array.from({ length: Math.min(concurrency, macs.length) }, lane));
  return out;
}
