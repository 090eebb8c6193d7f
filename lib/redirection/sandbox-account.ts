// Sandbox accounts: every organization gets its own account at the built-in sandbox, so one
// organization's sandbox registrations never collide with another's (ownership works as at snom).
// The password of `sandbox-<organization id>` is derived from the portal's credentials key
// (HMAC-SHA-256), so knowing another organization's id is not enough to act as it in the sandbox
// (a custom endpoint pointed at the sandbox would otherwise reach any organization's account).
import { createHmac, timingSafeEqual } from "node:crypto";
import type { SimulatorAccount } from "./simulator";

/**
 * The company name the sandbox reports for an organization's account: a neutral label with the end
 * of its id, so an organization told "owned by …" sees that another sandbox account holds the MAC
 * (never its own service's name, and never another tenant's name).
 */
export function sandboxCompany(organizationId: string): string {
  return `Sandbox account …${organizationId.slice(-6)}`;
}

const SANDBOX_USERNAME = /^sandbox-([\w-]{1,64})$/;

export function sandboxUsername(organizationId: string): string {
  return `sandbox-${organizationId}`;
}

/** The sandbox password of one organization: 32 hex characters, from the 32-byte credentials key. */
export function sandboxPassword(organizationId: string, key: Buffer): string {
  return createHmac("sha256", key).update(`sandbox-account:${organizationId}`).digest("hex").slice(0, 32);
}

/**
 * For the simulator: accepts `sandbox-<id>` with that organization's derived password, nothing
 * else. `key` is the portal's credentials key (lib/crypto loadOrCreateKey).
 */
export function sandboxAccountResolver(key: Buffer): (username: string, password: string) => SimulatorAccount | null {
  return (username, password) => {
    const match = SANDBOX_USERNAME.exec(username);
    if (!match) return null;
    const expected = Buffer.from(sandboxPassword(match[1], key));
    const given = Buffer.from(password);
    return given.length === expected.length && timingSafeEqual(given, expected)
      ? { username, password, company: sandboxCompany(match[1]) }
      : null;
  };
}
