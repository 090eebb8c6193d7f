import "server-only";
import { readFileSync } from "node:fs";
import { prisma } from "../db";
import { dataDir } from "../db-core";
import { env } from "../env";
import { decryptSecret, loadOrCreateKey } from "../crypto";
import { readSandboxUrl, resolveAccount } from "../sync/account";
import { sandboxPassword, sandboxUsername } from "./sandbox-account";
import { cleanServiceText, SERVICE_TEXT_MAX } from "./service-text";
import { SRAPS_URL, type RdsAccount, type RdsResult } from "./types";

function callOptions() {
  return { timeoutMs: env.RDS_TIMEOUT_MS, ...(env.RDS_CA_FILE ? { ca: readFileSync(env.RDS_CA_FILE, "utf8") } : {}) };
}

/** The redirection account the organization's calls run under (sandbox, SRAPS or custom), or null. */
export function accountForOrganization(organizationId: string): Promise<RdsAccount | null> {
  const dir = dataDir(env.DATABASE_URL);
  return resolveAccount(prisma, organizationId, {
    dataDir: dir,
    secretKeyHex: env.PORTAL_SECRET_KEY,
    sandboxUrl: readSandboxUrl(dir, env.SANDBOX_URL),
    ...callOptions(),
  });
}

export type SavedTarget = { rdsEndpointKind: string; rdsCustomUrl: string | null; rdsUsername: string | null };

/**
 * Whether the input names exactly the endpoint kind, URL and username the stored password was saved
 * for. Only then may the stored password be used: anything else would send it to a service (or an
 * account) it was never meant for (issue 8, point 3).
 */
export function isSavedTarget(
  saved: SavedTarget,
  input: { endpointKind: string; customUrl: string | null; username: string | null },
): boolean {
  return (
    saved.rdsEndpointKind === input.endpointKind &&
    (input.endpointKind !== "CUSTOM" || saved.rdsCustomUrl === input.customUrl) &&
    saved.rdsUsername === input.username
  );
}

/**
 * The account that settings typed in the form (not saved yet) describe, so they can be tested
 * before anything is re-registered. An empty password means the stored one, but only when kind,
 * URL and username are exactly those it was saved for; otherwise null (the stored password never
 * goes to another service or account).
 */
export async function accountFromSettings(
  organizationId: string,
  input: { endpointKind: string; customUrl: string | null; username: string | null; password: string | null },
): Promise<RdsAccount | null> {
  if (input.endpointKind === "SANDBOX") {
    const url = readSandboxUrl(dataDir(env.DATABASE_URL), env.SANDBOX_URL);
    return url
      ? {
          url,
          username: sandboxUsername(organizationId),
          password: sandboxPassword(organizationId, credentialsKey()),
          ...callOptions(),
          allowPrivateAddresses: true,
        }
      : null;
  }
  const url = input.endpointKind === "SRAPS" ? SRAPS_URL : input.customUrl;
  let password = input.password;
  if (!password) {
    const org = await prisma.organization.findUnique({
      where: { id: organizationId },
      select: { rdsEndpointKind: true, rdsCustomUrl: true, rdsUsername: true, rdsPasswordEnc: true },
    });
    password =
      org && isSavedTarget(org, input) && org.rdsPasswordEnc
        ? decryptSecret(org.rdsPasswordEnc, credentialsKey())
        : null;
  }
  if (!url || !input.username || !password) return null;
  return { url, username: input.username, password, ...callOptions() };
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
      // The client already bounds and cleans it; cut again so this row never depends on that.
      rawExcerpt: cleanServiceText(result.raw.excerpt, SERVICE_TEXT_MAX),
      durationMs: Math.round(result.durationMs),
    },
  });
}

/**
 * The sandbox as the portal names it: the simulator the portal runs inside itself, or the shared
 * test service SANDBOX_URL names (several instances, or a deployment that runs it apart).
 */
export function describeSandbox(): { label: string; summary: string; hint: string } {
  if (env.SANDBOX_URL) {
    return {
      label: "Shared sandbox",
      summary: "shared sandbox (a test service outside the portal)",
      hint: "A test service this deployment shares outside the portal: try everything, no real phone is redirected.",
    };
  }
  return {
    label: "Built-in sandbox",
    summary: "built-in sandbox (simulated inside the portal)",
    hint: "A simulator inside the portal: try everything, no real phone is redirected.",
  };
}
