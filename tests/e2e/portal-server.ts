// A real portal (`next start` of the production build) on a free port with its own fresh database.
import { spawn, type ChildProcess } from "node:child_process";
import { rmSync } from "node:fs";
import { createServer } from "node:net";
import path from "node:path";
import { createTestDatabase } from "../support/test-db";

const root = path.resolve(import.meta.dirname, "../..");

/** Credentials key of the PostgreSQL e2e portals (64 hex characters, as PORTAL_SECRET_KEY requires). */
export const E2E_SECRET_KEY = "e2e0".repeat(16);

export type PortalServer = {
  baseUrl: string;
  databaseUrl: string;
  dataDir: string;
  /** The external sandbox's URL (SANDBOX_URL) on PostgreSQL; null when the portal runs its built-in one. */
  sandboxUrl: string | null;
  /** The `next start` process itself (to signal it). */
  child: ChildProcess;
  /** Everything the server wrote to stdout so far (its log lines). */
  output: () => string;
  stop: () => Promise<void>;
};

export function freePort(): Promise<number> {
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
      if ((await fetch(`${url}/api/health`)).ok) return;
    } catch {
      /* not up yet */
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`The portal did not answer on ${url} within ${timeoutMs} ms`);
}

/**
 * The shared sandbox a PostgreSQL deployment uses (`npm run simulator -- --sandbox-accounts`, as
 * docs/deployment.md sets it up): its own process, its URL once it listens.
 */
async function startSharedSandbox(dir: string): Promise<{ url: string; child: ChildProcess }> {
  const port = await freePort();
  const child = spawn(
    "node",
    ["--import", "tsx", "scripts/simulator.ts", "--port", String(port), "--host", "127.0.0.1", "--sandbox-accounts", "--state-file", path.join(dir, "sandbox-state.json")],
    { cwd: root, stdio: ["ignore", "pipe", "inherit"], env: { ...process.env, PORTAL_SECRET_KEY: E2E_SECRET_KEY } },
  );
  const url = await new Promise<string>((resolve, reject) => {
    let out = "";
    const timer = setTimeout(() => reject(new Error("the shared sandbox did not start within 30 s")), 30_000);
    child.stdout!.on("data", (chunk: Buffer) => {
      out += chunk.toString("utf8");
      const m = /Simulator listening on (http:\/\/[^\s"]+)/.exec(out);
      if (m) {
        clearTimeout(timer);
        resolve(m[1]);
      }
    });
    child.on("exit", (code) => reject(new Error(`the shared sandbox exited with ${code}`)));
  });
  return { url, child };
}

export async function startPortal(env: Record<string, string> = {}): Promise<PortalServer> {
  const db = createTestDatabase("portal-e2e-");
  // PostgreSQL is a shared deployment: its sandbox is one external simulator, not one per instance.
  const sandbox = !db.file && !env.SANDBOX_URL ? await startSharedSandbox(db.dir) : null;
  const port = await freePort();
  const baseUrl = `http://127.0.0.1:${port}`;
  const server = spawn("node", ["node_modules/next/dist/bin/next", "start", "-p", String(port), "-H", "127.0.0.1"], {
    cwd: root,
    stdio: ["ignore", "pipe", "inherit"],
    env: {
      ...process.env,
      NODE_ENV: "production",
      NEXT_TELEMETRY_DISABLED: "1",
      DATABASE_URL: db.url,
      NEXTAUTH_URL: baseUrl,
      NEXTAUTH_SECRET: "e2e-session-secret-0123456789abcdef0123456789",
      // The tests' simulators listen on loopback, which custom endpoints may only use with this.
      ALLOW_PRIVATE_ENDPOINTS: "1",
      // No balancer in front of the tests' servers: they close at once on SIGTERM.
      SHUTDOWN_DRAIN_MS: "0",
      // A shared deployment (PostgreSQL) takes its keys from the environment, not from generated files.
      ...(db.file ? {} : { PORTAL_SECRET_KEY: E2E_SECRET_KEY, PORTAL_DATA_DIR: db.dir }),
      ...(sandbox ? { SANDBOX_URL: sandbox.url } : {}),
      ...env,
    },
  });
  let output = "";
  server.stdout!.on("data", (chunk: Buffer) => {
    // Bounded: keep the last 1 MB.
    output = (output + chunk.toString("utf8")).slice(-1_000_000);
  });
  await waitForHealth(baseUrl, server);
  return {
    baseUrl,
    databaseUrl: db.url,
    dataDir: db.dir,
    sandboxUrl: sandbox?.url ?? env.SANDBOX_URL ?? null,
    child: server,
    output: () => output,
    stop: async () => {
      if (server.exitCode === null) {
        server.kill("SIGTERM");
        await new Promise((r) => setTimeout(r, 300));
        if (server.exitCode === null) server.kill("SIGKILL");
      }
      sandbox?.child.kill("SIGKILL");
      rmSync(db.dir, { recursive: true, force: true });
    },
  };
}
