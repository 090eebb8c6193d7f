// `npm start`: the one command that runs the portal on a fresh machine: install, migrate, build
// when needed, serve on http://localhost:$PORT (default 3000).
//
// `node scripts/start.mjs --serve-only [--port 3001] [--host 127.0.0.1]` only serves: for a
// deployment whose release steps (npm ci, npm run build, npm run db:deploy) ran already
// (docs/deployment.md). Either way, with JSON logs (LOG_FORMAT=json, or NODE_ENV=production without
// LOG_FORMAT) every line is one JSON object: ours, and `next start`'s own wrapped (`source: "next"`).
import { spawn } from "node:child_process";
import { parseArgs } from "node:util";
import { pipeChildAsJson, wantsJsonLogs } from "./lib/json-lines.mjs";
import { buildIfNeeded, ensureInstalled, log, logFatal, migrate, run } from "./lib/setup.mjs";

let args;
try {
  args = parseArgs({
    options: { "serve-only": { type: "boolean", default: false }, port: { type: "string" }, host: { type: "string" } },
  }).values;
} catch (error) {
  logFatal(`start: ${error.message}`);
  process.exit(2);
}

const json = wantsJsonLogs();
if (!args["serve-only"]) ensureInstalled();
// The environment is checked (lib/env.ts) before the migrations touch the database, and before
// Next starts: a missing secret is one fatal line, not Next's "✓ Ready" and then the fatal line.
run(process.execPath, ["--import", "tsx", "scripts/check-env.ts"], { source: "check-env" });
if (!args["serve-only"]) {
  await migrate();
  buildIfNeeded();
}

const port = args.port ?? process.env.PORT ?? "3000";
if (!/^\d{1,5}$/.test(port) || Number(port) > 65535) {
  logFatal(`start: the port must be a number from 0 to 65535, got “${port}”`);
  process.exit(2);
}
const env = {
  ...process.env,
  NODE_ENV: "production",
  NEXT_TELEMETRY_DISABLED: "1",
  NEXTAUTH_URL: process.env.NEXTAUTH_URL ?? `http://localhost:${port}`,
  // Someone watching a terminal: readable lines; a deployment (NODE_ENV=production or LOG_FORMAT=json): JSON.
  LOG_FORMAT: json ? "json" : (process.env.LOG_FORMAT ?? "pretty"),
};
log(`Starting the portal on http://${args.host ?? "localhost"}:${port}`);
const child = spawn(
  process.execPath,
  ["node_modules/next/dist/bin/next", "start", "-p", port, ...(args.host ? ["-H", args.host] : [])],
  { stdio: json ? ["inherit", "pipe", "pipe"] : "inherit", env },
);
// Next's own copy of a request's error is left out: onRequestError logged it with the request id.
if (json) pipeChildAsJson(child, "next", { dropRequestErrors: true });
let stopSignal;
for (const sig of ["SIGINT", "SIGTERM"]) {
  process.on(sig, () => {
    stopSignal = sig;
    child.kill(sig);
  });
}
// "close", not "exit": the child's last lines are through the wrappers by then. `next start` ends
// with 128 + the signal's number (143, 130) after a clean stop: a stop we were asked for is exit 0,
// so systemd does not record a failed unit on every restart.
child.on("close", (code, signal) => {
  if (stopSignal && (signal || code === 143 || code === 130)) process.exit(0);
  process.exit(code ?? (signal ? 0 : 1));
});
