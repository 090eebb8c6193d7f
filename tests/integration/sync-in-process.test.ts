// The in-process worker the Next server starts: one per process, even when started twice (hot reload).
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createPrisma, type Db } from "../../lib/db-core";
import type { Simulator } from "../../lib/redirection/simulator";
import { getInProcessWorker, startInProcessWorker, stopInProcessWorker } from "../../lib/sync/in-process";
import { createCustomOrg, createQueuedPhones, startTestSimulator, statusCounts, TEST_KEY_HEX, waitFor } from "../support/sync-fixtures";

let db: Db;
let sim: Simulator;

beforeAll(async () => {
  db = createPrisma(process.env.DATABASE_URL!);
  sim = await startTestSimulator();
});
afterAll(async () => {
  await stopInProcessWorker();
  await sim.close();
  await db.$disconnect();
});

describe("startInProcessWorker", () => {
  it("starts one worker per process and syncs queued phones; stop is graceful", async () => {
    const opts = { db, dataDir: process.env.PORTAL_TEST_DIR!, secretKeyHex: TEST_KEY_HEX, pollMs: 50, log: () => {} };
    const first = startInProcessWorker(opts);
    const second = startInProcessWorker(opts);
    expect(second).toBe(first);
    expect(getInProcessWorker()).toBe(first);

    const org = await createCustomOrg(db, sim.url);
    const { phones } = await createQueuedPhones(db, org.id, 10, { firstMac: 0x6000 });
    await waitFor(async () => (await statusCounts(db, org.id)).synced === 10);
    for (const p of phones) expect(sim.callCount("redirect.registerPhone", p.mac)).toBe(1);

    await stopInProcessWorker();
    expect(getInProcessWorker()).toBeUndefined();
  });
});
