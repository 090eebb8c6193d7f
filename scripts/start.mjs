// `npm start`: the one command that runs the portal on a fresh machine: install, migrate, build
// when needed, serve on http://localhost:$PORT (default 3000).
import { spawn } from "node:child_process";
import { buildIfNeeded, ensureInstalled, log, migrate, run } from "./lib/setup.mjs";

ensureInstalled();
// The environment is checked (lib/env.ts) before the migrations touch the database.
run(process.execPath, ["--import", "tsx", "scripts/check-env.ts"]);
await migrate();
buildIfNeeded();

const port = process.env.PORT ?? "3000";
const env = {
  ...process.env,
  NODE_ENV: "production",
  NEXT_TELEMETRY_DISABLED: "1",
  NEXTAUTH_URL: process.env.NEXTAUTH_URL ?? `http://localhost:${port}`,
  // Someone watching a terminal: readable lines. A deployment runs `next start` with JSON (docs/deployment.md).
  LOG_FORMAT: process.env.LOG_FORMAT ?? "pretty",
};
log(`Starting the portal on http://localhost:${port}`);
const child = spawn("node", ["node_modules/next/dist/bin/next", "start", "-p", port], { stdio: "inherit", env });
for (const sig of ["SIGINT", "SIGTERM"]) process.on(sig, () => child.kill(sig));
child.on("exit", (code, signal) => process.exit(code ?? (signal ? 0 : 1)));
