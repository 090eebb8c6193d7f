// Runs the redirection service simulator: npm run simulator -- --port 8083 --account user:pass:Company
import { parseSimulatorArgs, SIMULATOR_USAGE } from "../lib/redirection/simulator-cli";
import { startSimulator } from "../lib/redirection/simulator";
import { sandboxAccountResolver } from "../lib/redirection/sandbox-account";

async function main(): Promise<void> {
  const parsed = parseSimulatorArgs(process.argv.slice(2));
  if (!parsed.ok) {
    if ("help" in parsed) {
      console.log(parsed.error);
      return;
    }
    console.error(`simulator: ${parsed.error}\n\n${SIMULATOR_USAGE}`);
    process.exitCode = 2;
    return;
  }

  // With the portal's PORTAL_SECRET_KEY it also serves the portal's per-organization sandbox
  // accounts (their passwords derive from that key), so it can stand in as SANDBOX_URL;
  // --sandbox-accounts says that is its purpose and refuses to start without the key.
  const keyHex = process.env.PORTAL_SECRET_KEY?.trim();
  if (keyHex && !/^[0-9a-fA-F]{64}$/.test(keyHex)) {
    console.error("simulator: PORTAL_SECRET_KEY must be exactly 64 hex characters");
    process.exitCode = 2;
    return;
  }
  if (parsed.sandboxAccounts && !keyHex) {
    console.error(
      "simulator: --sandbox-accounts needs PORTAL_SECRET_KEY, the same value as the portal's (sandbox passwords derive from it)",
    );
    process.exitCode = 2;
    return;
  }
  const sandboxKey = keyHex ? Buffer.from(keyHex, "hex") : undefined;
  const simulator = await startSimulator({
    ...parsed.options,
    ...(sandboxKey ? { resolveAccount: sandboxAccountResolver(sandboxKey) } : {}),
  });
  const { accounts, faultRate, faultModes, latencyMs, stateFile, capacity } = parsed.options;
  console.log(`Simulator listening on ${simulator.url}`);
  const sandboxNote = sandboxKey ? ", and the portal's sandbox-<organization> accounts" : " (set PORTAL_SECRET_KEY to serve the portal's sandbox accounts too)";
  const named = accounts.map((a) => `${a.username} (${a.company})`).join(", ");
  console.log(`  accounts: ${named || "none of its own"}${sandboxNote}`);
  console.log(`  control:  ${simulator.controlUrl}state, POST ${simulator.controlUrl}faults, POST ${simulator.controlUrl}reset`);
  if (latencyMs) console.log(`  latency:  ${latencyMs} ms`);
  if (capacity) console.log(`  capacity: ${capacity} calls at once, more answer HTTP 429`);
  if (faultRate) console.log(`  faults:   ${faultRate} of calls, modes ${faultModes.join(", ")}`);
  if (stateFile) console.log(`  state:    ${stateFile}`);

  let stopping = false;
  const stop = (signal: NodeJS.Signals) => {
    if (stopping) return;
    stopping = true;
    console.log(`Received ${signal}, stopping simulator`);
    simulator.close().then(
      () => process.exit(0),
      (error: unknown) => {
        console.error(error);
        process.exit(1);
      },
    );
  };
  process.on("SIGINT", stop);
  process.on("SIGTERM", stop);
}

main().catch((error: unknown) => {
  console.error(`simulator: ${(error as Error)?.message ?? error}`);
  process.exitCode = 1;
});
