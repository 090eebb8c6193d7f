import "server-only";
import { readFileSync } from "node:fs";
import { prisma } from "../db";
import { dataDir } from "../db-core";
import { env } from "../env";
import { loadOrCreateKey } from "../crypto";
import { readSandboxUrl, resolveAccount } from "../sync/account";
import type { RdsAccount, RdsResult } from "./types";

/** The redirection account the organization's calls run under (sandbox, SRAPS or custom), or null. */
export function accountForOrganization(organizationId: string): Promise<RdsAccount | null> {
  const dir = dataDir(env.DATABASE_URL);
  return resolveAccount(prisma, organizationId, {
    dataDir: dir,
    secretKeyHex: env.PORTAL_SECRET_KEY,
    sandboxUrl: readSandboxUrl(dir, env.SANDBOX_URL),
    timeoutMs: env.RDS_TIMEOUT_MS,
    ca: env.RDS_CA_FILE ? readFileSync(env.RDS_CA_FILE, "utf8") : undefined,
  });
}

/** The key that encrypts stored redirection passwords (env, else a mode-600 file next to the database). */
export function credentialsKey(): Buffer {
  return loadOrCreateKey(dataDir(env.DATABASE_URL), env.PORTAL_SECRET_KEY);
}

/** Every call a user triggers is logged in the phone's history, like the worker's calls. */
export async function recordUserCall(
  actor: { id: string; organizationId: string },
  phone: { id: string; mac: string },
  method: string,
  result: RdsResult<unknown>,
  url?: string | null,
): Promise<void> {
  await prisma.syncEvent.create({
    data: {
      organizationId: actor.organizationId,
      phoneId: phone.id,
      mac: phone.mac,
      method,
      outcome: result.kind,
      actor: `user:${actor.id}`,
      url: url ?? null,
      httpStatus: result.raw.status ?? null,
      rawExcerpt: result.raw.excerpt.slice(0, 500),
      durationMs: Math.round(result.durationMs),
    },
  });
}
