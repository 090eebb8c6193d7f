// Shared set-up for the sync worker's tests and benchmark: an organization pointing at a simulator
// with encrypted credentials, phones queued through the outbox, and helpers to read the outcome.
import { randomBytes } from "node:crypto";
import { encryptSecret } from "../../lib/crypto";
import type { Db } from "../../lib/db-core";
import type { RdsAccount } from "../../lib/redirection/types";
import { startSimulator, type Simulator, type SimulatorOptions } from "../../lib/redirection/simulator";
import { enqueueNewPhones } from "../../lib/sync/outbox";
import { createCustomer, createOrganization, snomMac } from "../factories";

export const SIM_USER = "reseller";
export const SIM_PASSWORD = "s3cret:with@odd%chars";
export const SIM_COMPANY = "Test Reseller AG";
export const URL_TEMPLATE = "https://prov.example.net/snom/{mac}.xml";

/** A fixed 32-byte key for tests (also passed to worker processes as PORTAL_SECRET_KEY). */
/** The credentials key of the test's worker processes: the environment's (PostgreSQL runs), else a fresh one. */
export const TEST_KEY_HEX = process.env.PORTAL_SECRET_KEY ?? randomBytes(32).toString("hex");

export function startTestSimulator(opts: Partial<SimulatorOptions> = {}): Promise<Simulator> {
  return startSimulator({ accounts: [{ username: SIM_USER, password: SIM_PASSWORD, company: SIM_COMPANY }], ...opts });
}

export function accountFor(sim: { url: string }, timeoutMs = 2_000, password = SIM_PASSWORD): RdsAccount {
  return { url: sim.url, username: SIM_USER, password, timeoutMs };
}

/** An organization of kind CUSTOM pointing at `url` as `username` (default SIM_USER), its password encrypted with `keyHex`. */
export async function createCustomOrg(
  db: Db,
  url: string,
  opts: { keyHex?: string; username?: string; password?: string; urlTemplate?: string | null } = {},
) {
  const org = await createOrganization(db, { urlTemplate: opts.urlTemplate === undefined ? URL_TEMPLATE : opts.urlTemplate });
  await db.organization.update({
    where: { id: org.id },
    data: {
      rdsEndpointKind: "CUSTOM",
      rdsCustomUrl: url,
      rdsUsername: opts.username ?? SIM_USER,
      rdsPasswordEnc: encryptSecret(opts.password ?? SIM_PASSWORD, Buffer.from(opts.keyHex ?? TEST_KEY_HEX, "hex")),
    },
  });
  return org;
}

/** `count` phones (MACs from `firstMac`) of one new customer, queued through the outbox like the app does. */
export async function createQueuedPhones(
  db: Db,
  organizationId: string,
  count: number,
  opts: { firstMac?: number; customerUrlTemplate?: string | null; macs?: string[] } = {},
) {
  const customer = await createCustomer(db, organizationId, { urlTemplate: opts.customerUrlTemplate ?? null });
  const macs = opts.macs ?? Array.from({ length: count }, (_, i) => snomMac((opts.firstMac ?? 1) + i));
  const phones: { id: string; mac: string }[] = [];
  for (let i = 0; i < macs.length; i += 500) {
    const part = macs.slice(i, i + 500);
    await db.$transaction(async (tx) => {
      await tx.phone.createMany({ data: part.map((mac) => ({ organizationId, customerId: customer.id, mac })) });
      const created = await tx.phone.findMany({ where: { organizationId, mac: { in: part } }, select: { id: true, mac: true } });
      await enqueueNewPhones(tx, organizationId, created);
      phones.push(...created);
    });
  }
  return { customer, phones };
}

export async function statusCounts(db: Db, organizationId: string): Promise<Record<string, number>> {
  const rows = await db.phone.groupBy({ by: ["syncStatus"], where: { organizationId }, _count: { _all: true } });
  return Object.fromEntries(rows.map((r) => [r.syncStatus, r._count._all]));
}

/** Polls `check` until true; fails (rejects) after `timeoutMs`. For waiting, not for timing assertions. */
export async function waitFor(check: () => Promise<boolean> | boolean, timeoutMs = 30_000, everyMs = 50): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (await check()) return;
    if (Date.now() > deadline) throw new Error(`condition not met within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, everyMs));
  }
}
