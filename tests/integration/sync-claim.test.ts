// Claim order (lib/sync/claim.ts): due retries before the fresh backlog. Real database from the migrations.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createPrisma, type Db } from "../../lib/db-core";
import { claimJobs } from "../../lib/sync/claim";
import { createCustomOrg, createQueuedPhones } from "../support/sync-fixtures";

let db: Db;

beforeAll(() => {
  db = createPrisma(process.env.DATABASE_URL!);
});
afterAll(async () => {
  await db.$disconnect();
});

describe("claimJobs", () => {
  it("claims a due retry before a backlog of fresh jobs queued earlier, and fills the batch with fresh ones", async () => {
    const org = await createCustomOrg(db, "http://127.0.0.1:9/xmlrpc/");
    const { phones } = await createQueuedPhones(db, org.id, 40, { firstMac: 0x5000 });
    const minuteAgo = new Date(Date.now() - 60_000);
    await db.syncJob.updateMany({ where: { organizationId: org.id }, data: { runAfter: minuteAgo } });
    // One phone failed once and its backoff ran out a second ago: due, but later than the backlog.
    const retried = phones[39];
    await db.syncJob.updateMany({
      where: { phoneId: retried.id },
      data: { attempts: 1, runAfter: new Date(Date.now() - 1_000) },
    });
    // Not yet due: stays where it is.
    const waiting = phones[38];
    await db.syncJob.updateMany({
      where: { phoneId: waiting.id },
      data: { attempts: 2, runAfter: new Date(Date.now() + 60_000) },
    });

    const claim = await claimJobs(db, {
      workerId: "claim-order",
      leaseMs: 60_000,
      batchSize: 8,
      excluded: [],
      localNow: Date.now(),
    });

    const claimed = claim.jobs.map((j) => j.phoneId);
    expect(claimed).toHaveLength(8);
    expect(claimed).toContain(retried.id);
    expect(claimed).not.toContain(waiting.id);
    expect(claim.jobs.find((j) => j.phoneId === retried.id)?.attempts).toBe(1);
  });
});
