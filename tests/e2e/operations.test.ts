// Running several instances (issue 14, point 5) against a real `next start`: the health endpoints
// load balancers poll, request ids, and a graceful stop of the web server's in-process worker.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createPrisma, type Db } from "../../lib/db-core";
import type { Simulator } from "../../lib/redirection/simulator";
import { createOrganization } from "../factories";
import {
  createCustomOrg,
  createQueuedPhones,
  startTestSimulator,
  TEST_KEY_HEX,
  waitFor,
} from "../support/sync-fixtures";
import { startPortal, type PortalServer } from "./portal-server";

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

let portal: PortalServer;
let db: Db;
let sim: Simulator;

beforeAll(async () => {
  // Every call hangs far longer than the drain bound: the shutdown test has a call in flight.
  sim = await startTestSimulator({ latencyMs: 60_000 });
  portal = await startPortal({ PORTAL_SECRET_KEY: TEST_KEY_HEX, SYNC_CONCURRENCY: "1", RDS_TIMEOUT_MS: "120000" });
  db = createPrisma(portal.databaseUrl);
});
afterAll(async () => {
  await portal?.stop();
  await db?.$disconnect();
  await sim?.close();
});

describe("health endpoints", () => {
  it("live: 200 {status: ok}, no session, no data, not cached", async () => {
    const res = await fetch(`${portal.baseUrl}/api/health/live`);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ status: "ok" });
    expect(res.headers.get("cache-control")).toContain("no-store");
    expect(res.headers.get("content-security-policy")).toBe("default-src 'none'; frame-ancestors 'none'");
  });

  it("ready: 200 {status: ready} with the database up and every migration applied", async () => {
    const res = await fetch(`${portal.baseUrl}/api/health/ready`);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ status: "ready" });
  });
});

describe("request ids", () => {
  it("echoes a sane X-Request-Id and replaces a bad one with a fresh id, on pages and routes", async () => {
    const kept = await fetch(`${portal.baseUrl}/login`, { headers: { "X-Request-Id": "lb-1234.abc_DEF" } });
    expect(kept.headers.get("x-request-id")).toBe("lb-1234.abc_DEF");
    const fresh = await fetch(`${portal.baseUrl}/api/health/live`);
    expect(fresh.headers.get("x-request-id")).toMatch(UUID);
    for (const bad of ["x".repeat(129), "a b", "<script>"]) {
      const res = await fetch(`${portal.baseUrl}/api/sync-status`, { headers: { "X-Request-Id": bad } });
      expect(res.status).toBe(401);
      expect(res.headers.get("x-request-id")).toMatch(UUID);
    }
    // Refused before any handler (malformed request): still an id.
    const refused = await fetch(`${portal.baseUrl}/login`, { method: "PUT", headers: { "X-Request-Id": "r-405" } });
    expect(refused.status).toBe(405);
    expect(refused.headers.get("x-request-id")).toBe("r-405");
  });
});

describe("JSON log lines of a request", () => {
  it("a route's error path logs one JSON line with the request's id and no secret", async () => {
    // A provisioning password the credentials key cannot open: the route answers 503 and logs why.
    const org = await createOrganization(db, { name: "Broken Key GmbH" });
    const token = "LogTest".padEnd(32, "x");
    await db.organization.update({
      where: { id: org.id },
      data: { provToken: token, provUsername: "prov", provPasswordEnc: "v1:not-a-real-ciphertext" },
    });
    const res = await fetch(`${portal.baseUrl}/prov/${token}/000413000001.xml`, {
      headers: { "X-Request-Id": "e2e-prov-503", Authorization: "Basic cHJvdjpodW50ZXIy" },
    });
    expect(res.status).toBe(503);
    expect(res.headers.get("x-request-id")).toBe("e2e-prov-503");
    await waitFor(() => portal.output().includes("e2e-prov-503"), 5_000);
    const line = portal
      .output()
      .split("\n")
      .filter((l) => l.includes("e2e-prov-503"))
      .map((l) => JSON.parse(l) as Record<string, unknown>)[0];
    expect(line).toMatchObject({
      level: "error",
      requestId: "e2e-prov-503",
      msg: expect.stringContaining("cannot be decrypted"),
    });
    expect(new Date(line.time as string).toISOString()).toBe(line.time);
    expect(portal.output()).not.toContain("cHJvdjpodW50ZXIy");
    expect(portal.output()).not.toContain("hunter2");
    expect(portal.output()).not.toContain(TEST_KEY_HEX);
  });
});

describe("graceful shutdown of the web server", () => {
  it("SIGTERM: readiness 503 first, unstarted jobs of the in-process worker released at once, the call in flight keeps its lease", async () => {
    const org = await createCustomOrg(db, sim.url);
    await createQueuedPhones(db, org.id, 8, { firstMac: 0x7300 });
    await waitFor(
      async () => (await db.syncJob.count({ where: { organizationId: org.id, claimToken: { not: null } } })) === 8,
      30_000,
    );
    await waitFor(() => sim.peakInFlight() === 1, 30_000);

    const exited = new Promise<number | null>((resolve) => portal.child.once("exit", (code) => resolve(code)));
    portal.child.kill("SIGTERM");
    let seen: { status: number; body: unknown } | undefined;
    await waitFor(
      async () => {
        try {
          const res = await fetch(`${portal.baseUrl}/api/health/ready`, { signal: AbortSignal.timeout(2_000) });
          seen = { status: res.status, body: await res.json() };
          return res.status === 503;
        } catch {
          return false;
        }
      },
      10_000,
      20,
    );
    expect(seen).toEqual({ status: 503, body: { status: "unavailable", reason: "shutting_down" } });
    await exited;

    const jobs = await db.syncJob.findMany({
      where: { organizationId: org.id },
      select: { claimToken: true, leaseUntil: true },
    });
    expect(jobs).toHaveLength(8);
    const held = jobs.filter((j) => j.claimToken !== null);
    // Only the call that may still reach the service stays leased; 7 are free for another instance now.
    expect(held).toHaveLength(1);
    expect(jobs.filter((j) => j.leaseUntil === null)).toHaveLength(7);
    // Its log says so, and that it stopped (walkthrough 6b, point 5).
    expect(portal.output()).toMatch(
      /sync worker stopped: 7 unstarted job\(s\) handed back to the queue, 1 call\(s\) still in flight keep their leases until they expire/,
    );
    expect(portal.output()).toMatch(/"msg":"portal stopped"/);
  });
});
