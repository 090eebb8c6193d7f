// Worker processes for the sync tests: `node --import tsx scripts/worker.ts`, so the PID we hold is
// the worker itself (SIGKILL really kills it) and not a wrapper.
import { spawn, type ChildProcess } from "node:child_process";
import path from "node:path";
import { afterAll } from "vitest";
import { TEST_KEY_HEX } from "./sync-fixtures";

const ROOT = path.resolve(import.meta.dirname, "../..");

export type WorkerProcess = {
  child: ChildProcess;
  output: () => string;
  started: Promise<void>;
  exited: Promise<number | null>;
  /** Graceful stop; resolves with the exit code. */
  stop: () => Promise<number | null>;
};

export function spawnWorker(args: string[], env: Record<string, string> = {}): WorkerProcess {
  const child = spawn(process.execPath, ["--import", "tsx", "scripts/worker.ts", ...args], {
    cwd: ROOT,
    env: { ...process.env, DATABASE_URL: process.env.DATABASE_URL!, PORTAL_SECRET_KEY: TEST_KEY_HEX, NODE_ENV: "test", ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let out = "";
  let markStarted: () => void = () => {};
  const started = new Promise<void>((resolve, reject) => {
    markStarted = resolve;
    child.on("exit", (code) => reject(new Error(`worker exited (${code}) before starting:\n${out}`)));
  });
  started.catch(() => {});
  const onData = (chunk: Buffer) => {
    out += chunk.toString("utf8");
    if (/ started /.test(out)) markStarted();
  };
  child.stdout!.on("data", onData);
  child.stderr!.on("data", onData);
  const exited = new Promise<number | null>((resolve) => child.on("exit", (code) => resolve(code)));
  return {
    child,
    output: () => out,
    started,
    exited,
    stop: async () => {
      if (child.exitCode === null && child.signalCode === null) child.kill("SIGTERM");
      return exited;
    },
  };
}

/**
 * Worker processes of one test file: returns `start(args, env)` (spawnWorker that remembers the
 * process); every one still running when the file's tests end is SIGKILLed. Call at module level.
 */
export function workerProcesses(): (args: string[], env?: Record<string, string>) => WorkerProcess {
  const workers: WorkerProcess[] = [];
  afterAll(() => {
    for (const w of workers) if (w.child.exitCode === null && w.child.signalCode === null) w.child.kill("SIGKILL");
  });
  return (args, env = {}) => {
    const w = spawnWorker(args, env);
    workers.push(w);
    return w;
  };
}
