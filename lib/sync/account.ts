// Which redirection-service account an organization's jobs run under. No "server-only": the worker
// script loads this through tsx. The password is decrypted here and never logged.
import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { decryptSecret, loadOrCreateKey } from "../crypto";
import type { Db } from "../db-core";
import { SRAPS_URL, type RdsAccount } from "../redirection/types";
import { sandboxPassword, sandboxUsername } from "../redirection/sandbox-account";

export type ResolveAccountOptions = {
  /** Folder of the database and the credentials key file. */
  dataDir: string;
  /** PORTAL_SECRET_KEY (64 hex characters); wins over `<dataDir>/credentials.key`. */
  secretKeyHex?: string;
  /** Where the SANDBOX endpoint kind points (our simulator); null account without it. */
  sandboxUrl?: string;
  timeoutMs?: number;
  ca?: string;
};

export const SANDBOX_URL_FILE = "sandbox.url";

/** SANDBOX_URL from the environment, else `<dataDir>/sandbox.url` if present. */
export function readSandboxUrl(dataDir: string, envUrl?: string): string | undefined {
  if (envUrl?.trim()) return envUrl.trim();
  const file = path.join(dataDir, SANDBOX_URL_FILE);
  if (!existsSync(file)) return undefined;
  const url = readFileSync(file, "utf8").trim();
  return url || undefined;
}

export async function resolveAccount(
  db: Db,
  organizationId: string,
  opts: ResolveAccountOptions,
): Promise<RdsAccount | null> {
  const org = await db.organization.findUnique({
    where: { id: organizationId },
    select: { rdsEndpointKind: true, rdsCustomUrl: true, rdsUsername: true, rdsPasswordEnc: true },
  });
  if (!org) return null;
  const common = { timeoutMs: opts.timeoutMs, ...(opts.ca ? { ca: opts.ca } : {}) };
  if (org.rdsEndpointKind === "SANDBOX") {
    if (!opts.sandboxUrl) return null;
    const key = loadOrCreateKey(opts.dataDir, opts.secretKeyHex);
    // Our own loopback simulator: the one account allowed to reach a private address regardless of ALLOW_PRIVATE_ENDPOINTS.
    return {
      url: opts.sandboxUrl,
      username: sandboxUsername(organizationId),
      password: sandboxPassword(organizationId, key),
      ...common,
      allowPrivateAddresses: true,
    };
  }
  const url = org.rdsEndpointKind === "SRAPS" ? SRAPS_URL : org.rdsEndpointKind === "CUSTOM" ? org.rdsCustomUrl : null;
  if (!url || !org.rdsUsername || !org.rdsPasswordEnc) return null;
  const key = loadOrCreateKey(opts.dataDir, opts.secretKeyHex);
  return { url, username: org.rdsUsername, password: decryptSecret(org.rdsPasswordEnc, key), ...common };
}

/** The account resolver the worker takes, bound to one database and configuration. */
export function accountResolver(db: Db, opts: ResolveAccountOptions): (organizationId: string) => Promise<RdsAccount | null> {
  return (organizationId) => resolveAccount(db, organizationId, opts);
}
