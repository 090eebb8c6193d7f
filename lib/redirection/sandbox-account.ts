// Sandbox accounts: every organization gets its own account at the built-in sandbox, so one
// organization's sandbox registrations never collide with another's (ownership works as at snom).
// The sandbox is a loopback simulator holding no real data: the fixed password only tells the
// portal's own calls apart from stray ones; the portal alone picks the username.
import type { SimulatorAccount } from "./simulator";

export const SANDBOX_PASSWORD = "sandbox";
export const SANDBOX_COMPANY = "Sandbox (simulated)";

export function sandboxUsername(organizationId: string): string {
  return `sandbox-${organizationId}`;
}

/** For the simulator: accepts any `sandbox-<id>` account with the sandbox password. */
export function resolveSandboxAccount(username: string, password: string): SimulatorAccount | null {
  return /^sandbox-[\w-]{1,64}$/.test(username) && password === SANDBOX_PASSWORD
    ? { username, password, company: SANDBOX_COMPANY }
    : null;
}
