// What the portal writes for an operator's log collector (issue 14, point 5), against the real
// `node scripts/start.mjs --serve-only` (the deployment's command) of the production build: with
// LOG_FORMAT=json every line on stdout and stderr is one JSON object (Next's own lines wrapped),
// request log lines carry the request's X-Request-Id, and a database that cannot be reached is one
// worker line, a plain sentence on pages and a 503 on /api/health and /api/health/ready.
import { spawn, type ChildProcess } from "node:child_process";
import { randomBytes } from "node:crypto";
import { rmSync } from "node:fs";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { createTestDatabase } from "../support/test-db";
import { waitFor } from "../support/sync-fixtures";
import { launchBrowser } from "./browser";
import { E2E_SECRET_KEY, freePort } from "./portal-server";
import { mergeCookies, rawRequest } from "./raw-http";

const ROOT = path.resolve(import.meta.dirname, "../..");

type Started = { baseUrl: string; child: ChildProcess; output: () => string; stop: () => Promise<void> };
const running: Started[] = [];
afterAll(async () => {
  for (const s of running) await s.stop();
});

/** `node scripts/start.mjs --serve-only` on a free port with JSON logs; stdout and stderr both kept. */
async function startServeOnly(env: Record<string, string>): Promise<Started> {
  const port = await freePort();
  const baseUrl = `http://127.0.0.1:${port}`;
  const child = spawn(process.execPath, ["scripts/start.mjs", "--serve-only", "--port", String(port), "--host", "127.0.0.1"], {
    cwd: ROOT,
    stdio: ["ignore", "pipe", "pipe"],
    env: {
      ...process.env,
      NODE_ENV: "production",
      LOG_FORMAT: "json",
      NEXTAUTH_URL: baseUrl,
      NEXTAUTH_SECRET: randomBytes(32).toString("base64"),
      // Shared secrets, as every instance off SQLite needs them (the PostgreSQL run refuses to start without).
      PORTAL_SECRET_KEY: E2E_SECRET_KEY,
      ALLOW_PRIVATE_ENDPOINTS: "1",
      SHUTDOWN_DRAIN_MS: "0",
      VITEST: "",
      ...env,
    },
  });
  let out = "";
  child.stdout!.on("data", (c: Buffer) => (out = (out + c.toString("utf8")).slice(-2_000_000)));
  child.stderr!.on("data", (c: Buffer) => (out = (out + c.toString("utf8")).slice(-2_000_000)));
  const closed = new Promise<void>((resolve) => child.on("close", () => resolve()));
  await waitFor(async () => {
    if (child.exitCode !== null) throw new Error(`start.mjs exited ${child.exitCode}:\n${out}`);
    return fetch(`${baseUrl}/api/health/live`).then((r) => r.ok, () => false);
  }, 60_000, 200);
  const started: Started = {
    baseUrl,
    child,
    output: () => out,
    stop: async () => {
      if (child.exitCode === null && child.signalCode === null) child.kill("SIGTERM");
      await Promise.race([closed, new Promise((r) => setTimeout(r, 15_000))]);
      if (child.exitCode === null && child.signalCode === null) child.kill("SIGKILL");
    },
  };
  running.push(started);
  return started;
}

/** Every line parsed; a line that is not one JSON object fails the test, named. */
function jsonLines(output: string): Record<string, unknown>[] {
  return output
    .split("\n")
    .filter((l) => l.trim() !== "")
    .map((l) => {
      let v: unknown;
      try {
        v = JSON.parse(l);
      } catch {
        throw new Error(`not a JSON line: ${l}`);
      }
      if (typeof v !== "object" || v === null || Array.isArray(v)) throw new Error(`not a JSON object: ${l}`);
      return v as Record<string, unknown>;
    });
}

const has = (s: Started, pattern: RegExp) => () => pattern.test(s.output());

describe("start.mjs --serve-only with LOG_FORMAT=json", () => {
  it("every line is JSON (Next's banner wrapped); a refused sign-in and a provisioning fetch log the X-Request-Id they came with", async () => {
    const db = createTestDatabase("portal-logs-");
    const portal = await startServeOnly({ DATABASE_URL: db.url });
    try {
      const csrf = await rawRequest(portal.baseUrl, { path: "/api/auth/csrf" });
      const { csrfToken } = JSON.parse(csrf.body) as { csrfToken: string };
      const signIn = await rawRequest(portal.baseUrl, {
        method: "POST",
        path: "/api/auth/callback/credentials",
        headers: {
          "Content-Type": "application/x-www-form-urlencoded",
          Cookie: mergeCookies("", csrf.headers["set-cookie"]),
          "X-Request-Id": "e2e-signin-0001",
        },
        body: new URLSearchParams({ csrfToken, email: "nobody@example.net", password: "wrong-Secret-9", json: "true" }).toString(),
      });
      expect(signIn.status).toBeLessThan(500);
      const prov = await rawRequest(portal.baseUrl, {
        path: "/prov/notarealtoken0123456789/000413AABBCC.xml",
        headers: { "X-Request-Id": "e2e-prov-0001" },
      });
      expect(prov.status).toBe(404);
      await waitFor(has(portal, /e2e-signin-0001/), 10_000);
      await waitFor(has(portal, /e2e-prov-0001/), 10_000);
    } finally {
      await portal.stop();
      rmSync(db.dir, { recursive: true, force: true });
    }
    const lines = jsonLines(portal.output());
    expect(lines.some((l) => l.source === "next" && /Ready|Next\.js/.test(String(l.msg)))).toBe(true);
    expect(lines.some((l) => l.source === "start" && /Starting the portal/.test(String(l.msg)))).toBe(true);
    expect(lines.find((l) => l.requestId === "e2e-signin-0001")).toMatchObject({
      level: "info",
      msg: "sign-in refused: wrong e-mail or password",
      reason: "invalid",
    });
    expect(lines.find((l) => l.requestId === "e2e-prov-0001")).toMatchObject({ level: "info", status: 404 });
    expect(portal.output()).not.toContain("wrong-Secret-9");
    expect(portal.output()).not.toContain("notarealtoken0123456789");
  });

  it("an unreachable database: one worker line, readiness and /api/health 503, a page says so, its log line carries the request id", async () => {
    const port = await freePort();
    const portal = await startServeOnly({
      DATABASE_URL: `postgresql://portal:not-the-password@127.0.0.1:${port}/portal`,
      PORTAL_SECRET_KEY: randomBytes(32).toString("hex"),
      SANDBOX_URL: "http://127.0.0.1:9/xmlrpc/",
    });
    try {
      for (const p of ["/api/health/ready", "/api/health"]) {
        const res = await fetch(`${portal.baseUrl}${p}`);
        expect(res.status, p).toBe(503);
        expect(await res.json(), p).toEqual({ status: "unavailable", reason: "database_unreachable" });
      }
      const page = await rawRequest(portal.baseUrl, { path: "/login", headers: { "X-Request-Id": "e2e-dbdown-0001" } });
      expect(page.status).toBe(500);
      await waitFor(has(portal, /e2e-dbdown-0001/), 10_000);
      // What a person sees: the error boundary renders in the browser.
      const browser = await launchBrowser();
      try {
        const tab = await browser.context.newPage();
        await tab.goto(`${portal.baseUrl}/login`);
        await expect
          .poll(() => tab.getByRole("alert").first().textContent(), { timeout: 15_000 })
          .toContain("The database is not reachable; the operator has been told.");
      } finally {
        await browser.close();
      }
      await waitFor(has(portal, /"workerId".*database unreachable/), 10_000);
      // The in-process worker polls twice a second: two more seconds must add no line about it.
      await new Promise((r) => setTimeout(r, 2_000));
    } finally {
      await portal.stop();
    }
    const lines = jsonLines(portal.output());
    const workerLines = lines.filter((l) => l.workerId && /database unreachable/.test(String(l.msg)));
    expect(workerLines).toHaveLength(1);
    expect(workerLines[0]).toMatchObject({ level: "error" });
    expect(lines.find((l) => l.requestId === "e2e-dbdown-0001" && l.level === "error")).toMatchObject({
      route: expect.stringContaining("login"),
      digest: "portal-database-unreachable",
      msg: expect.stringMatching(/failed: database unreachable: .*Can't reach database server/),
    });
    expect(portal.output()).not.toContain("not-the-password");
  });

  it("a web-only instance (SYNC_WORKER=off) on an unreachable database: one 'not ready' line with the cause for many probes, one error line per failed page (walkthrough 6b, points 3 and 4)", async () => {
    const port = await freePort();
    const portal = await startServeOnly({
      DATABASE_URL: `postgresql://portal:not-the-password@127.0.0.1:${port}/portal`,
      PORTAL_SECRET_KEY: randomBytes(32).toString("hex"),
      SANDBOX_URL: "http://127.0.0.1:9/xmlrpc/",
      SYNC_WORKER: "off",
    });
    try {
      // A balancer probing: ten 503s.
      for (let i = 0; i < 10; i++) expect((await fetch(`${portal.baseUrl}/api/health/ready`)).status).toBe(503);
      const page = await rawRequest(portal.baseUrl, { path: "/login", headers: { "X-Request-Id": "e2e-webonly-0001" } });
      expect(page.status).toBe(500);
      await waitFor(has(portal, /e2e-webonly-0001/), 10_000);
      // Next's own copy of the error would come a moment later: give it that moment.
      await new Promise((r) => setTimeout(r, 1_000));
    } finally {
      await portal.stop();
    }
    const lines = jsonLines(portal.output());
    const notReady = lines.filter((l) => /not ready/.test(String(l.msg)));
    expect(notReady).toHaveLength(1);
    expect(notReady[0]).toMatchObject({
      level: "warn",
      msg: expect.stringMatching(/^not ready: database unreachable: .*Can't reach database server at 127\.0\.0\.1:\d+/),
    });
    expect(lines.filter((l) => l.requestId === "e2e-webonly-0001" && l.level === "error")).toHaveLength(1);
    expect(lines.filter((l) => l.source === "next" && /digest: 'portal-database-unreachable'/.test(String(l.msg)))).toEqual([]);
    expect(portal.output()).not.toContain("not-the-password");
  });

  it("SIGTERM on a web-only instance: readiness 503 at once, pages served for SHUTDOWN_DRAIN_MS, then exit 0 (start.mjs) with a last 'portal stopped' line (walkthrough 6b, point 5)", async () => {
    const db = createTestDatabase("portal-drain-");
    const portal = await startServeOnly({ DATABASE_URL: db.url, SYNC_WORKER: "off", SHUTDOWN_DRAIN_MS: "4000" });
    try {
      // Every request on a new connection, as a balancer's probes and new visitors come.
      const get = (p: string) => rawRequest(portal.baseUrl, { path: p });
      expect((await get("/api/health/ready")).status).toBe(200);
      const exited = new Promise<number | null>((resolve) => portal.child.on("exit", (code) => resolve(code)));
      portal.child.kill("SIGTERM");
      await waitFor(async () => (await get("/api/health/ready")).status === 503, 3_000, 50);
      expect(JSON.parse((await get("/api/health/ready")).body)).toEqual({ status: "unavailable", reason: "shutting_down" });
      // A page is still served (a fresh database sends it on to /setup).
      expect((await get("/login")).status).toBeLessThan(400);
      expect(await exited).toBe(0);
      await expect(get("/api/health/live")).rejects.toThrow();
    } finally {
      await portal.stop();
      rmSync(db.dir, { recursive: true, force: true });
    }
    const lines = jsonLines(portal.output());
    expect(lines.some((l) => /^SIGTERM: stopping \(readiness 503 now; pages served for 4000 ms more; then the server closes\)$/.test(String(l.msg)))).toBe(true);
    expect(lines.at(-1)).toMatchObject({ level: "info", msg: "portal stopped" });
  });
});
