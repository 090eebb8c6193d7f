// Several portal instances, one sandbox: `npm run simulator -- --sandbox-accounts` as SANDBOX_URL
// for two worker processes (each with its own data folder, so neither can fall back on a built-in
// sandbox's files). They see the same registrations; two organizations never see each other's.
// Real processes, real HTTP.
import { spawn, type ChildProcess } from "node:child_process";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createPrisma, type Db } from "../../lib/db-core";
import { getPhoneRedirection, listPhones } from "../../lib/redirection/client";
import { modelForMac } from "../../lib/redirection/simulator";
import { resolveAccount } from "../../lib/sync/account";
import { createOrganization } from "../factories";
import { createQueuedPhones, statusCounts, TEST_KEY_HEX, URL_TEMPLATE, waitFor } from "../support/sync-fixtures";
import { workerProcesses } from "../support/sync-process";

const ROOT = path.resolve(import.meta.dirname, "../..");
let db: Db;
const children: ChildProcess[] = [];
const startWorker = workerProcesses();

beforeAll(() => {
  db = createPrisma(process.env.DATABASE_URL!);
});
afterAll(async () => {
  for (const c of children) if (c.exitCode === null && c.signalCode === null) c.kill("SIGTERM");
  await db.$disconnect();
});

/**
 * `npm run simulator -- <args>` as its own process; resolves with its output once it listens (or
 * exits), the process and its output so far.
 */
function startSimulatorProcess(args: string[], env: Record<string, string | undefined>) {
  const child = spawn(process.execPath, ["--import", "tsx", "scripts/simulator.ts", ...args], {
    cwd: ROOT,
    env: { ...process.env, PORTAL_SECRET_KEY: undefined, ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  children.push(child);
  let output = "";
  const exited = new Promise<number | null>((resolve) => child.on("exit", (code) => resolve(code)));
  return new Promise<{ url?: string; code?: number | null; output: string; child: typeof child; exited: Promise<number | null>; outputNow: () => string }>((resolve) => {
    const outputNow = () => output;
    const onData = (c: Buffer) => {
      output += c.toString("utf8");
      const url = /listening on (http:\/\/[^\s"]+)/.exec(output)?.[1];
      if (url) resolve({ url, output, child, exited, outputNow });
    };
    child.stdout.on("data", onData);
    child.stderr.on("data", onData);
    child.on("exit", (code) => resolve({ code, output, child, exited, outputNow }));
  });
}

/** What one instance would use for an organization's sandbox account (its own data folder, SANDBOX_URL). */
async function sandboxAccountOf(organizationId: string, sandboxUrl: string) {
  const account = await resolveAccount(db, organizationId, {
    dataDir: mkdtempSync(path.join(tmpdir(), "portal-instance-")),
    secretKeyHex: TEST_KEY_HEX,
    sandboxUrl,
    timeoutMs: 5_000,
  });
  return account!;
}

describe("one external simulator as every instance's sandbox", () => {
  it("with LOG_FORMAT=json every line it writes, from start to SIGTERM, is one JSON object (walkthrough 6b, point 2)", async () => {
    const sim = await startSimulatorProcess(["--port", "0", "--sandbox-accounts", "--latency-ms", "5"], {
      PORTAL_SECRET_KEY: TEST_KEY_HEX,
      LOG_FORMAT: "json",
    });
    expect(sim.url, sim.output).toBeDefined();
    sim.child.kill("SIGTERM");
    expect(await sim.exited).toBe(0);
    const lines = sim.outputNow().trim().split("\n");
    for (const line of lines) {
      let parsed: unknown;
      expect(() => (parsed = JSON.parse(line)), line).not.toThrow();
      expect(parsed, line).toMatchObject({ level: expect.any(String), msg: expect.any(String) });
    }
    const messages = lines.map((l) => (JSON.parse(l) as { msg: string }).msg);
    expect(messages).toEqual(expect.arrayContaining([`Simulator listening on ${sim.url}`, "Received SIGTERM, stopping simulator", "simulator stopped"]));
    expect(sim.outputNow()).not.toContain(TEST_KEY_HEX);
  });

  it("is a service of its own: the portal's settings (a PostgreSQL DATABASE_URL without its secrets) do not stop it", async () => {
    const sim = await startSimulatorProcess(["--port", "0", "--latency-ms", "5"], {
      DATABASE_URL: "postgresql://portal@127.0.0.1:1/portal",
      NEXTAUTH_SECRET: undefined,
      LOG_FORMAT: "json",
    });
    expect(sim.url, sim.output).toBeDefined();
    sim.child.kill("SIGTERM");
    expect(await sim.exited).toBe(0);
  });

  it("refuses --sandbox-accounts without the portal's PORTAL_SECRET_KEY, saying so", async () => {
    // On a portal environment that the portal itself would refuse, too (CI's PostgreSQL run).
    const { code, output } = await startSimulatorProcess(["--port", "0", "--sandbox-accounts"], {
      DATABASE_URL: "postgresql://portal@127.0.0.1:1/portal",
      NEXTAUTH_SECRET: undefined,
    });
    expect(code).toBe(2);
    expect(output).toContain("--sandbox-accounts needs PORTAL_SECRET_KEY, the same value as the portal's");
  });

  it("two worker processes share its registrations; another organization sees none of them and cannot take them", async () => {
    const sim = await startSimulatorProcess(["--port", "0", "--sandbox-accounts", "--latency-ms", "20"], {
      PORTAL_SECRET_KEY: TEST_KEY_HEX,
    });
    expect(sim.url, sim.output).toBeDefined();
    const sandboxUrl = sim.url!;
    // The built-in sandbox account is the default kind of a new organization.
    const orgA = await createOrganization(db, { name: "Reseller A" });
    const orgB = await createOrganization(db, { name: "Reseller B" });
    expect((await db.organization.findUniqueOrThrow({ where: { id: orgA.id } })).rdsEndpointKind).toBe("SANDBOX");

    const instanceEnv = (n: number) => ({
      SANDBOX_URL: sandboxUrl,
      DATABASE_URL: process.env.DATABASE_URL!,
      INSTANCE: String(n),
      LOG_FORMAT: "json",
    });
    const one = startWorker(["--concurrency", "4", "--poll-ms", "50"], instanceEnv(1));
    const two = startWorker(["--concurrency", "4", "--poll-ms", "50"], instanceEnv(2));
    await Promise.all([one.started, two.started]);
    const { phones } = await createQueuedPhones(db, orgA.id, 120, { firstMac: 0x7500 });
    await waitFor(async () => (await statusCounts(db, orgA.id)).synced === 120, 60_000);

    // Both instances pushed some of A's phones.
    const actors = await db.syncEvent.groupBy({ by: ["actor"], where: { organizationId: orgA.id } });
    expect(actors).toHaveLength(2);

    // Any instance reading A's sandbox account sees all of them, whichever instance pushed them.
    const accountA = await sandboxAccountOf(orgA.id, sandboxUrl);
    const model = modelForMac(phones[0].mac);
    const listedA = await listPhones(accountA, model);
    expect(listedA.kind).toBe("ok");
    const macsA = new Set(listedA.kind === "ok" ? listedA.data : []);
    for (const p of phones) expect(macsA.has(p.mac)).toBe(true);
    const one0 = await getPhoneRedirection(accountA, phones[0].mac);
    expect(one0.kind === "ok" && one0.data.url).toBe(URL_TEMPLATE);

    // B's own sandbox account holds none of them; queueing one of A's MACs in B: owned elsewhere.
    const accountB = await sandboxAccountOf(orgB.id, sandboxUrl);
    expect(accountB.username).not.toBe(accountA.username);
    const listedB = await listPhones(accountB, model);
    expect(listedB.kind === "ok" ? listedB.data : null).toEqual([]);
    await createQueuedPhones(db, orgB.id, 1, { macs: [phones[0].mac] });
    await waitFor(async () => (await db.syncJob.count({ where: { organizationId: orgB.id } })) === 0, 30_000);
    expect(await statusCounts(db, orgB.id)).toEqual({ owned_elsewhere: 1 });
    const still = await getPhoneRedirection(accountA, phones[0].mac);
    expect(still.kind === "ok" && still.data.url).toBe(URL_TEMPLATE);

    expect(await Promise.all([one.stop(), two.stop()])).toEqual([0, 0]);

    // Their logs: one JSON object per line, with the worker and, where known, the organization; no password.
    for (const worker of [one, two]) {
      const lines = worker
        .output()
        .trim()
        .split("\n")
        .map((l) => JSON.parse(l) as Record<string, unknown>);
      for (const line of lines) {
        expect(line).toMatchObject({
          level: expect.any(String),
          msg: expect.any(String),
          workerId: expect.any(String),
        });
        expect(new Date(line.time as string).toISOString()).toBe(line.time);
      }
      expect(worker.output()).not.toContain(accountA.password);
      expect(worker.output()).not.toContain(accountB.password);
      expect(worker.output()).not.toContain(TEST_KEY_HEX);
    }
    const aboutB = [one, two]
      .flatMap((w) => w.output().trim().split("\n"))
      .map((l) => JSON.parse(l))
      .filter((l) => l.organizationId === orgB.id);
    expect(aboutB.map((l) => l.mac)).toContain(phones[0].mac);
  });
});
