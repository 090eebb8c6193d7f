// Builds the portal (when the sources changed), starts `next start` on a free port with its own
// fresh database, and hands the address to the browser tests.
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { createServer } from "node:net";
import path from "node:path";
import { rmSync } from "node:fs";
import type { TestProject } from "vitest/node";
import { createTestDatabase } from "../support/test-db";

declare module "vitest" {
  export interface ProvidedContext {
    baseUrl: string;
    databaseUrl: string;
  }
}

const root = path.resolve(import.meta.dirname, "../..");

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.listen(0, "127.0.0.1", () => {
      const { port } = srv.address() as { port: number };
      srv.close(() => resolve(port));
    });
    srv.on("error", reject);
  });
}

async function waitForHealth(url: string, server: ChildProcess, timeoutMs = 60_000) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (server.exitCode !== null) throw new Error(`next start exited with ${server.exitCode}`);
    try {
      const res = await fetch(`${url}/api/health`);
      if (res.ok) return;
    } catch {
      /* not up yet */
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`The portal did not answer on ${url} within ${timeoutMs} ms`);
}

let server: ChildProcess | undefined;
let dir: string | undefined;

export async function setup(project: TestProject) {
  const build = spawnSync("node", ["scripts/build.mjs"], { cwd: root, stdio: "inherit" });
  if (build.status !== 0) throw new Error("next build failed");
  const db = createTestDatabase("portal-e2e-");
  dir = db.dir;
  const port = await freePort();
  const baseUrl = `http://127.0.0.1:${port}`;
  server = spawn("node", ["node_modules/next/dist/bin/next", "start", "-p", String(port), "-H", "127.0.0.1"], {
    cwd: root,
    stdio: ["ignore", "inherit", "inherit"],
    env: {
      ...process.env,
      NODE_ENV: "production",
      NEXT_TELEMETRY_DISABLED: "1",
      DATABASE_URL: db.url,
      NEXTAUTH_URL: baseUrl,
      NEXTAUTH_SECRET: "e2e-session-secret-0123456789abcdef0123456789",
    },
  });
  await waitForHealth(baseUrl, server);
  project.provide("baseUrl", baseUrl);
  project.provide("databaseUrl", db.url);
}

export async function teardown() {
  if (server && server.exitCode === null) {
    server.kill("SIGTERM");
    await new Promise((r) => setTimeout(r, 500));
    if (server.exitCode === null) server.kill("SIGKILL");
  }
  if (dir) rmSync(dir, { recursive: true, force: true });
}
