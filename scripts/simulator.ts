// Runs the redirection service simulator: npm run simulator -- --port 8083 --account user:pass:Company
import { parseSimulatorArgs } from "../lib/redirection/simulator-cli";
import { startSimulator } from "../lib/redirection/simulator";
import { sandboxAccountResolver } from "../lib/redirection/sandbox-account";
import { buildLogger, logProcessEvents, processLogSettings } from "../lib/log-core";

// Its lines are the portal's kind of log lines: with LOG_FORMAT=json (the shared sandbox's unit loads
// the portal's env file) every line is one JSON object, like every other process's. It is a service
// of its own, so it reads only LOG_FORMAT, LOG_LEVEL and PORTAL_SECRET_KEY, never the portal's
// database or other settings (lib/log-core.ts).
const log = buildLogger({ ...processLogSettings(), bindings: { component: "simulator" } });
logProcessEvents(log);

async function main(): Promise<void> {
  const parsed = parseSimulatorArgs(process.argv.slice(2));
  if (!parsed.ok) {
    if ("help" in parsed) {
      console.log(parsed.error);
      return;
    }
    log.fatal(`simulator: ${parsed.error} (npm run simulator -- --help lists the options)`);
    process.exitCode = 2;
    return;
  }

  // With the portal's PORTAL_SECRET_KEY it also serves the portal's per-organization sandbox
  // accounts (their passwords derive from that key), so it can stand in as SANDBOX_URL;
  // --sandbox-accounts says that is its purpose and refuses to start without the key.
  const keyHex = process.env.PORTAL_SECRET_KEY?.trim();
  if (keyHex && !/^[0-9a-fA-F]{64}$/.test(keyHex)) {
    log.fatal("simulator: PORTAL_SECRET_KEY must be exactly 64 hex characters");
    process.exitCode = 2;
    return;
  }
  if (parsed.sandboxAccounts && !keyHex) {
    log.fatal(
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
  // Before its first line: whoever saw it listening may stop it at once.
  let stopping = false;
  const stop = (signal: NodeJS.Signals) => {
    if (stopping) return;
    stopping = true;
    log.info({ signal }, `Received ${signal}, stopping simulator`);
    simulator.close().then(
      () => {
        log.info("simulator stopped");
        process.exit(0);
      },
      (error: unknown) => {
        log.error({ err: error }, `stopping the simulator failed: ${(error as Error)?.message ?? error}`);
        process.exit(1);
      },
    );
  };
  process.on("SIGINT", stop);
  process.on("SIGTERM", stop);
  const { accounts, faultRate, faultModes, latencyMs, stateFile, capacity } = parsed.options;
  log.info(`Simulator listening on ${simulator.url}`);
  const sandboxNote = sandboxKey
    ? ", and the portal's sandbox-<organization> accounts"
    : " (set PORTAL_SECRET_KEY to serve the portal's sandbox accounts too)";
  const named = accounts.map((a) => `${a.username} (${a.company})`).join(", ");
  log.info(`  accounts: ${named || "none of its own"}${sandboxNote}`);
  log.info(
    `  control:  ${simulator.controlUrl}state, POST ${simulator.controlUrl}faults, POST ${simulator.controlUrl}reset`,
  );
  if (latencyMs) log.info(`  latency:  ${latencyMs} ms`);
  if (capacity) log.info(`  capacity: ${capacity} calls at once, more answer HTTP 429`);
  if (faultRate) log.info(`  faults:   ${faultRate} of calls, modes ${faultModes.join(", ")}`);
  if (stateFile) log.info(`  state:    ${stateFile}`);
}

main().catch((error: unknown) => {
  log.fatal({ err: error }, `simulator: ${(error as Error)?.message ?? error}`);
  process.exitCode = 1;
});
