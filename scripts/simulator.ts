// Runs the redirection service simulator: npm run simulator -- --port 8083 --account user:pass:Company
import { parseSimulatorArgs, SIMULATOR_USAGE } from "../lib/redirection/simulator-cli";
import { startSimulator } from "../lib/redirection/simulator";
import { resolveSandboxAccount } from "../lib/redirection/sandbox-account";

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

  // Also serves the portal's per-organization sandbox accounts, so it can stand in as SANDBOX_URL.
  const simulator = await startSimulator({ ...parsed.options, resolveAccount: resolveSandboxAccount });
  const { accounts, faultRate, faultModes, latencyMs, stateFile } = parsed.options;
  console.log(`Simulator listening on ${simulator.url}`);
  console.log(`  accounts: ${accounts.map((a) => `${a.username} (${a.company})`).join(", ")}, and the portal's sandbox-<organization> accounts`);
  console.log(`  control:  ${simulator.controlUrl}state, POST ${simulator.controlUrl}faults, POST ${simulator.controlUrl}reset`);
  if (latencyMs) console.log(`  latency:  ${latencyMs} ms`);
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
