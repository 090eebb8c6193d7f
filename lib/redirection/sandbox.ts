// The built-in sandbox: our simulator of snom's redirection service, started inside the portal's
// server process so a fresh portal works end to end with zero configuration. Loopback only; its
// state survives restarts in <dataDir>/sandbox-state.json. Never mistaken for snom: the UI marks it.
import { writeFileSync } from "node:fs";
import path from "node:path";
import { startSimulator, type Simulator } from "./simulator";
import { SANDBOX_URL_FILE } from "../sync/account";
import { sandboxAccountResolver } from "./sandbox-account";

const slot = globalThis as unknown as { __portalSandbox?: Promise<Simulator> };

/**
 * Start the sandbox once per process; writes its URL to <dataDir>/sandbox.url for `npm run worker`.
 * `key` is the credentials key: each organization's sandbox password is derived from it.
 */
export function startSandbox(dataDir: string, key: Buffer, port = 0): Promise<Simulator> {
  slot.__portalSandbox ??= startSimulator({
    host: "127.0.0.1",
    port,
    accounts: [],
    resolveAccount: sandboxAccountResolver(key),
    stateFile: path.join(dataDir, "sandbox-state.json"),
    latencyMs: 40,
  }).then((sim) => {
    writeFileSync(path.join(dataDir, SANDBOX_URL_FILE), sim.url + "\n");
    return sim;
  });
  return slot.__portalSandbox;
}
