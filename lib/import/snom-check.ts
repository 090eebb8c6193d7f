// "Check with snom" for the import preview: the organization's redirection account, resolved the
// way the sync worker resolves it, asked about each new MAC before anything is entered.
import "server-only";
import { readFileSync } from "node:fs";
import { prisma } from "../db";
import { dataDir } from "../db-core";
import { env } from "../env";
import { readSandboxUrl, resolveAccount } from "../sync/account";
import { checkMacsWithSnom } from "./flow";
import type { ImportView } from "./view";
import type { Actor } from "../data/common";
import { serviceAccountRedactor } from "../data/need-to-know";

/** More than this many new MACs are not checked in one request (8 calls at a time take a while). */
export const MAX_SNOM_CHECK = 2000;

/**
 * Asks the acting user's organization's account about each MAC. Error texts can name the endpoint
 * (host, URL): they are hidden from users without need to know (lib/data/need-to-know.ts).
 */
export async function checkNewMacsWithSnom(
  actor: Actor,
  macs: string[],
): Promise<Pick<ImportView, "snom" | "snomNote">> {
  const organizationId = actor.organizationId;
  if (macs.length === 0) return { snom: {}, snomNote: "No new MAC to check with snom." };
  if (macs.length > MAX_SNOM_CHECK) {
    return {
      snomNote: `${macs.length} new MACs: at most ${MAX_SNOM_CHECK} can be checked with snom at once; the sync reports owned MACs after the import.`,
    };
  }
  const dir = dataDir(env.DATABASE_URL);
  const account = await resolveAccount(prisma, organizationId, {
    dataDir: dir,
    secretKeyHex: env.PORTAL_SECRET_KEY,
    sandboxUrl: readSandboxUrl(dir, env.SANDBOX_URL),
    timeoutMs: Math.min(env.RDS_TIMEOUT_MS, 10_000),
    ca: env.RDS_CA_FILE ? readFileSync(env.RDS_CA_FILE, "utf8") : undefined,
  });
  if (!account) {
    return {
      snomNote: "The redirection service account is not set up (Settings), so the MACs could not be checked with snom.",
    };
  }
  const checked = await checkMacsWithSnom(account, macs);
  const redact = await serviceAccountRedactor(actor);
  const snom = Object.fromEntries(
    Object.entries(checked).map(([mac, c]) => [mac, c.message === undefined ? c : { ...c, message: redact(c.message) ?? undefined }]),
  );
  const owned = Object.values(snom).filter((c) => c.verdict === "owned_by_other_user").length;
  const failed = Object.values(snom).filter((c) => c.verdict === "error").length;
  const parts = [`${macs.length} new MAC${macs.length === 1 ? "" : "s"} checked with snom`];
  if (owned) parts.push(`${owned} already owned by another account (they would not be redirected)`);
  if (failed) parts.push(`${failed} could not be checked`);
  return { snom, snomNote: `${parts.join("; ")}.` };
}
