// Command-line parsing for scripts/simulator.ts, kept here so it can be unit tested without
// starting a server.
import { parseArgs } from "node:util";
import { z } from "zod";
import { FAULT_MODES, type SimulatorAccount, type SimulatorOptions } from "./simulator";

export const DEFAULT_SIMULATOR_ACCOUNT: SimulatorAccount = {
  username: "sandbox",
  password: "sandbox",
  company: "Sandbox Reseller",
};

export const SIMULATOR_USAGE = `Usage: npm run simulator -- [options]
  --port <port>             port to listen on (default 8083; 0 = any free port)
  --host <host>             interface (default 127.0.0.1)
  --account <user>:<password>:<company>
                            repeatable; the password is everything between the first and
                            the last ":" so it may contain ":" (default sandbox:sandbox:Sandbox Reseller)
  --latency-ms <ms>         delay before every answer
  --capacity <n>            calls served at once; more answer HTTP 429 (default unlimited)
  --fault-rate <0..1>       share of calls that get a fault
  --fault-mode <mode>       repeatable or comma-separated: ${FAULT_MODES.join(", ")}
  --state-file <path>       keep registrations in this JSON file across restarts
  --sandbox-accounts        serve as the portal's shared sandbox (SANDBOX_URL): accept every
                            organization's sandbox-<id> account, its password derived from
                            PORTAL_SECRET_KEY (required, the portal's value); without --account
                            no other account exists

Control interface (no authentication: keep the simulator on loopback), under /_control/:
  GET  /_control/state      registrations, accounts and every call received (JSON)
  POST /_control/faults     change faults while running, e.g.
                            curl -X POST -d '{"rate":1,"modes":["http503"]}' http://127.0.0.1:8083/_control/faults
                            ({"rate":0} ends them; "latencyMs" sets the latency)
  POST /_control/reset      forget every registration and call`;

/** `user:password:company`, where the password may itself contain ":". */
export function parseAccountSpec(spec: string): SimulatorAccount {
  const first = spec.indexOf(":");
  const last = spec.lastIndexOf(":");
  if (first < 0 || last === first) {
    throw new Error(`--account "${spec}" must look like <user>:<password>:<company>`);
  }
  const account = { username: spec.slice(0, first), password: spec.slice(first + 1, last), company: spec.slice(last + 1) };
  if (!account.username) throw new Error(`--account "${spec}": the user name is empty`);
  if (!account.password) throw new Error(`--account "${spec}": the password is empty`);
  if (!account.company.trim()) throw new Error(`--account "${spec}": the company is empty`);
  return account;
}

const CliSchema = z.object({
  port: z.coerce.number().int().min(0).max(65535).default(8083),
  host: z.string().min(1).default("127.0.0.1"),
  latencyMs: z.coerce.number().int().min(0).max(600_000).default(0),
  faultRate: z.coerce.number().min(0).max(1).default(0),
  capacity: z.coerce.number().int().min(1).max(100_000).optional(),
  faultModes: z.array(z.enum(FAULT_MODES)).default([]),
  stateFile: z.string().min(1).optional(),
});

export type SimulatorCliResult =
  | {
      ok: true;
      options: Required<Pick<SimulatorOptions, "port" | "host" | "accounts" | "latencyMs" | "faultRate" | "faultModes">> &
        Pick<SimulatorOptions, "stateFile" | "capacity">;
      /** --sandbox-accounts: the portal's per-organization sandbox accounts (needs PORTAL_SECRET_KEY). */
      sandboxAccounts: boolean;
    }
  | { ok: false; error: string }
  | { ok: false; help: true; error: string };

export function parseSimulatorArgs(argv: string[]): SimulatorCliResult {
  let values;
  try {
    ({ values } = parseArgs({
      args: argv,
      strict: true,
      allowPositionals: false,
      options: {
        port: { type: "string" },
        host: { type: "string" },
        account: { type: "string", multiple: true },
        "latency-ms": { type: "string" },
        "fault-rate": { type: "string" },
        capacity: { type: "string" },
        "fault-mode": { type: "string", multiple: true },
        "state-file": { type: "string" },
        "sandbox-accounts": { type: "boolean" },
        help: { type: "boolean", short: "h" },
      },
    }));
  } catch (error) {
    return { ok: false, error: (error as Error).message };
  }
  if (values.help) return { ok: false, help: true, error: SIMULATOR_USAGE };

  let accounts: SimulatorAccount[];
  try {
    accounts = (values.account ?? []).map(parseAccountSpec);
  } catch (error) {
    return { ok: false, error: (error as Error).message };
  }
  const sandboxAccounts = values["sandbox-accounts"] === true;
  // A shared sandbox holds only the portal's accounts unless others are named.
  if (accounts.length === 0 && !sandboxAccounts) accounts = [DEFAULT_SIMULATOR_ACCOUNT];
  const duplicate = accounts.find((a, i) => accounts.findIndex((b) => b.username === a.username) !== i);
  if (duplicate) return { ok: false, error: `--account "${duplicate.username}" is given twice` };

  const parsed = CliSchema.safeParse({
    port: values.port,
    host: values.host,
    latencyMs: values["latency-ms"],
    faultRate: values["fault-rate"],
    capacity: values.capacity,
    faultModes: values["fault-mode"]
      ?.flatMap((m) => m.split(","))
      .map((m) => m.trim())
      .filter(Boolean),
    stateFile: values["state-file"],
  });
  if (!parsed.success) {
    const messages = parsed.error.issues.map((issue) => {
      const flag = "--" + String(issue.path[0] ?? "").replace(/[A-Z]/g, (c) => "-" + c.toLowerCase());
      return `${flag.replace("--fault-modes", "--fault-mode")}: ${issue.message}`;
    });
    return { ok: false, error: messages.join("\n") };
  }
  const { port, host, latencyMs, faultRate, faultModes, stateFile, capacity } = parsed.data;
  if (faultRate > 0 && faultModes.length === 0) {
    return { ok: false, error: `--fault-rate needs at least one --fault-mode (${FAULT_MODES.join(", ")})` };
  }
  return {
    ok: true,
    options: { port, host, accounts, latencyMs, faultRate, faultModes, stateFile, ...(capacity ? { capacity } : {}) },
    sandboxAccounts,
  };
}
