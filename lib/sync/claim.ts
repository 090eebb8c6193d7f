// Claiming under a lease (docs/decisions/0003): due jobs of organizations that are neither paused nor
// waiting on an open circuit, taken with one UPDATE that repeats the lease condition, so of two
// workers racing for a job only one gets it. No "server-only": the worker script loads it.
import { randomUUID } from "node:crypto";
import { databaseNow } from "../db-dialect";
import type { Db } from "../db-core";
import type { ClaimedJob } from "./jobs";

/**
 * Claims up to `batchSize` due jobs for `workerId` (due retries, `attempts > 0`, before the rest) for `leaseMs`, skipping the organizations in
 * `excluded`, and reads each job's phone (after the claim: an edit after this read bumps the
 * version and the job runs again). Returns the jobs this worker now holds (none raced away) and
 * the database's time of the claim.
 *
 * Every time compared or written here is the database's (lib/db-dialect.ts): due (`runAfter <=
 * now`), lease free (`leaseUntil` null or `< now`), and the new `leaseUntil = now + leaseMs`. A
 * worker whose own clock runs ahead therefore never sees another worker's lease as run out.
 * Each returned job's `leaseUntil` is in the caller's clock (`localNow`, read before the claim, +
 * `leaseMs`: never later than the real end), for the worker's own "enough lease left?" check.
 */
export async function claimJobs(
  db: Db,
  opts: { workerId: string; leaseMs: number; batchSize: number; excluded: string[]; localNow: number },
): Promise<{ jobs: ClaimedJob[]; databaseNow: Date }> {
  const { workerId, leaseMs, batchSize, excluded, localNow } = opts;
  const now = await databaseNow(db);
  const due = {
    runAfter: { lte: now },
    OR: [{ leaseUntil: null }, { leaseUntil: { lt: now } }],
    organization: { rdsPausedAt: null, circuitOpenedAt: null },
    ...(excluded.length > 0 ? { organizationId: { notIn: excluded } } : {}),
  };
  // Due retries first: a fresh job is due from the moment it is queued, so in plain runAfter order a
  // retry waited behind the whole backlog ("Retrying in 2 s" for minutes) and the phones that failed
  // most ran last, one after another (docs/decisions/0016). Retries are few (the failed share of the
  // calls of one backoff), and each waited out its backoff: they cannot starve the backlog.
  const retries = await db.syncJob.findMany({
    where: { ...due, attempts: { gt: 0 } },
    orderBy: { runAfter: "asc" },
    take: batchSize,
    select: { id: true },
  });
  const fresh =
    retries.length < batchSize
      ? await db.syncJob.findMany({
          where: { ...due, ...(retries.length > 0 ? { id: { notIn: retries.map((r) => r.id) } } : {}) },
          orderBy: { runAfter: "asc" },
          take: batchSize - retries.length,
          select: { id: true },
        })
      : [];
  const candidates = [...retries, ...fresh];
  if (candidates.length === 0) return { jobs: [], databaseNow: now };

  const claimToken = randomUUID();
  const leaseUntil = new Date(now.getTime() + leaseMs);
  // The lease condition is repeated in the UPDATE: of two workers racing for one job, only the
  // first UPDATE matches it; the other reads back nothing for that job.
  await db.syncJob.updateMany({
    where: { id: { in: candidates.map((c) => c.id) }, OR: [{ leaseUntil: null }, { leaseUntil: { lt: now } }] },
    data: { claimedBy: workerId, claimToken, leaseUntil },
  });
  const jobs = await db.syncJob.findMany({
    where: { claimToken },
    select: { id: true, phoneId: true, organizationId: true, mac: true, version: true, attempts: true },
  });
  if (jobs.length === 0) return { jobs: [], databaseNow: now };
  // Read after the claim: an edit after this read bumps the version and the job runs again.
  const phones = await db.phone.findMany({
    where: { id: { in: jobs.map((j) => j.phoneId) } },
    select: {
      id: true,
      mac: true,
      urlOverride: true,
      deletedAt: true,
      customer: { select: { urlTemplate: true } },
      organization: { select: { urlTemplate: true } },
    },
  });
  const phoneById = new Map(phones.map((p) => [p.id, p]));
  return {
    jobs: jobs.map((j) => ({
      ...j,
      claimToken,
      leaseUntil: localNow + leaseMs,
      phone: phoneById.get(j.phoneId) ?? null,
    })),
    databaseNow: now,
  };
}
