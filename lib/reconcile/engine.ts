// Reconcile an organization's portal phones with its account at the redirection service (issue 12):
// scan (import preview or reconcile report), then fixes per row or in bulk. No "server-only": the
// worker script's scheduler (lib/reconcile/schedule.ts) runs it through tsx with its own Prisma client.
//
// The service cannot list everything at once: `listPhones` is per model (as snom's own CLI does it,
// SNOM_PHONE_TYPES), and only `getPhoneRedirection` gives a MAC's URL, so a scan is N+1 calls, made
// with bounded concurrency per organization. Listing tells us which MACs are ours; a portal MAC the
// lists do not name is asked about directly (missing, owned elsewhere, or ours under a model we do not list).
import type { Db } from "../db-core";
import { withTransactionRetry } from "../data/retry";
import { databaseNow, lockInTransaction } from "../db-dialect";
import { checkPhone, deregisterPhone, getPhoneRedirection, listPhones, registerPhone } from "../redirection/client";
import { cleanServiceText, SERVICE_TEXT_MAX } from "../redirection/service-text";
import type { RdsAccount, RdsResult } from "../redirection/types";
import { effectiveUrl } from "../sync/outbox";
import { customerKeys, numberKey, phoneKeys } from "../search-key";
import type { ReconcileCategory, ReconcileEntry, ReconcileFix, ReconcileRunView } from "./types";
import { logger } from "../log";

/** The model names snom's redirection CLI (Snomio/RDS-CLI) lists phones by. */
export const SNOM_PHONE_TYPES = [
  "snom300",
  "snom320",
  "snom360",
  "snom370",
  "snom710",
  "snom715",
  "snom720",
  "snom725",
  "snom760",
  "snomD120",
  "snomD305",
  "snomD315",
  "snomD345",
  "snomD375",
  "snomD385",
  "snomD712",
  "snomD713",
  "snomD717",
  "snomD735",
  "snomD745",
  "snomD765",
  "snomD785",
  "snomD862",
  "snomD865",
  "snomMP",
  "snomPA1",
  "snomM300",
  "snomM700",
  "snomM900",
  "snomC520",
  "snomC620",
] as const;

/** Most MACs one scan handles (the account's plus the portal's); beyond it the scan fails with a clear error. */
export const MAX_SCAN_MACS = 50_000;
/** A "running" scan older than this is taken as interrupted (a 50 000-MAC scan at 50 ms and 8 in flight takes about 5 minutes). */
const STALE_SCAN_MS = 60 * 60_000;
/** Progress is written at most this often (ms). */
const PROGRESS_EVERY_MS = 500;
/** Customer that imported phones go to when the user picks none. */
export const UNASSIGNED_CUSTOMER = { name: "Unassigned", number: "UNASSIGNED" } as const;

const MAC_RE = /^[0-9A-F]{12}$/;

export type ScanOptions = {
  kind: "import" | "reconcile";
  /** "user:<id>" or "schedule". */
  trigger: string;
  /** Calls in flight for this organization (SYNC_CONCURRENCY). */
  concurrency: number;
  phoneTypes?: readonly string[];
};

/** Runs `fn` over `items` with at most `concurrency` in flight; results in input order. */
export async function mapWithConcurrency<T, R>(
  items: readonly T[],
  concurrency: number,
  fn: (item: T, index: number) => Promise<R>,
): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  const lane = async () => {
    for (;;) {
      const i = next++;
      if (i >= items.length) return;
      results[i] = await fn(items[i], i);
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(concurrency, items.length)) }, lane));
  return results;
}

// One scan at a time per organization, in this process; the database row guards across processes.
const scansInFlight = new Map<string, Promise<string>>();

export class ReconcileError extends Error {}

/**
 * Starts a scan of the organization's account and returns the ReconcileRun id at once; the scan goes
 * on in the background and writes progress (`done`/`total` calls) and finally its entries. Throws
 * ReconcileError when a scan of this organization is already running.
 */
export async function startScan(
  db: Db,
  organizationId: string,
  account: RdsAccount,
  opts: ScanOptions,
): Promise<{ runId: string; finished: Promise<void> }> {
  if (scansInFlight.has(organizationId)) throw new ReconcileError("A scan of this organization is already running.");
  // Check, then create, under the organization's lock: two instances (or two clicks) starting a scan
  // at once both found none running and both scanned (docs/decisions/0015-concurrency.md).
  const run = await withTransactionRetry(() =>
    db.$transaction(async (tx) => {
      await lockInTransaction(tx, `reconcile-scan:${organizationId}`);
      const staleBefore = new Date((await databaseNow(tx)).getTime() - STALE_SCAN_MS);
      const running = await tx.reconcileRun.findFirst({
        where: { organizationId, status: "running", startedAt: { gt: staleBefore } },
        select: { id: true },
      });
      if (running) throw new ReconcileError("A scan of this organization is already running.");
      return tx.reconcileRun.create({ data: { organizationId, kind: opts.kind, trigger: opts.trigger } });
    }),
  );
  const finished = scanAccount(db, organizationId, account, run.id, opts)
    .catch(async (e: unknown) => {
      const message = e instanceof ReconcileError ? e.message : "The scan stopped on an unexpected error.";
      if (!(e instanceof ReconcileError)) logger.error({ err: e, organizationId }, "reconcile: scan failed");
      await db.reconcileRun.update({
        where: { id: run.id },
        data: { status: "failed", error: message, finishedAt: new Date() },
      });
    })
    .finally(() => scansInFlight.delete(organizationId));
  scansInFlight.set(
    organizationId,
    finished.then(() => run.id),
  );
  return { runId: run.id, finished };
}

async function scanAccount(
  db: Db,
  organizationId: string,
  account: RdsAccount,
  runId: string,
  opts: ScanOptions,
): Promise<void> {
  const types = opts.phoneTypes ?? SNOM_PHONE_TYPES;
  let done = 0;
  let total = types.length;
  let lastWrite = 0;
  const progress = async (force = false) => {
    if (!force && Date.now() - lastWrite < PROGRESS_EVERY_MS) return;
    lastWrite = Date.now();
    await db.reconcileRun.update({ where: { id: runId }, data: { done, total } });
  };
  await progress(true);

  // 1. What the account holds, model by model.
  const listed = new Set<string>();
  const listFailures: string[] = [];
  await mapWithConcurrency(types, opts.concurrency, async (type) => {
    const res = await listPhones(account, type);
    done++;
    if (res.kind === "ok") {
      for (const raw of res.data) {
        const mac = raw.trim().toUpperCase();
        if (MAC_RE.test(mac)) listed.add(mac);
      }
    } else if (res.kind === "auth_failed") {
      throw new ReconcileError(
        "The service refused the account's credentials: check Settings → Redirection service account.",
      );
    } else {
      listFailures.push(`${type}: ${res.message}`);
    }
    if (listed.size > MAX_SCAN_MACS)
      throw new ReconcileError(`The account holds more than ${MAX_SCAN_MACS} phones: too many for one scan.`);
    await progress();
  });
  if (listFailures.length === types.length) {
    throw new ReconcileError(`The service could not list the account's phones (${listFailures[0]}).`);
  }

  // 2. The portal's phones, asked about too: a MAC the lists miss (a model we do not list) is still
  // found to be ours. An import preview shows only the account's MACs of the result.
  const org = await db.organization.findUniqueOrThrow({ where: { id: organizationId }, select: { urlTemplate: true } });
  const phones = await db.phone.findMany({
    where: { organizationId, deletedAt: null },
    select: { id: true, mac: true, urlOverride: true, customer: { select: { name: true, urlTemplate: true } } },
  });
  const byMac = new Map(phones.map((p) => [p.mac, p]));
  const macs = [...new Set([...listed, ...phones.map((p) => p.mac)])].sort();
  if (macs.length > MAX_SCAN_MACS)
    throw new ReconcileError(`More than ${MAX_SCAN_MACS} phones: too many for one scan.`);
  total += macs.length;
  await progress(true);

  // 3. Each MAC's URL and owner.
  let ownCompany: string | null = null;
  const needsOwnerCheck: number[] = [];
  const entries = await mapWithConcurrency(macs, opts.concurrency, async (mac, index): Promise<ReconcileEntry> => {
    const phone = byMac.get(mac) ?? null;
    const entry: ReconcileEntry = {
      mac,
      category: "error",
      phoneId: phone?.id ?? null,
      customerName: phone?.customer.name ?? null,
      expectedUrl: phone ? effectiveUrl(phone.urlOverride, phone.customer.urlTemplate, org.urlTemplate) : null,
      serviceUrl: null,
      ownerCompany: null,
      error: null,
      fixed: null,
    };
    const res = await getPhoneRedirection(account, mac);
    done++;
    await progress();
    if (res.kind === "ok") {
      if (listed.has(mac)) {
        ownCompany ??= res.data.company;
        entry.serviceUrl = res.data.url;
        entry.ownerCompany = res.data.company || null;
        entry.category = categoryOfOurs(entry);
      } else {
        // Registered, but not in our lists: another account's, or ours under a model we do not list.
        entry.serviceUrl = res.data.url;
        entry.ownerCompany = res.data.company || null;
        needsOwnerCheck.push(index);
      }
    } else if (res.kind === "no_such_mac") {
      entry.category = phone ? "missing" : "error";
      if (!phone) entry.error = "Listed by the service but unknown to getPhoneRedirection.";
    } else if (res.kind === "owned_by_other_user") {
      entry.category = "owned_elsewhere";
    } else {
      if (res.kind === "auth_failed")
        throw new ReconcileError(
          "The service refused the account's credentials: check Settings → Redirection service account.",
        );
      entry.error = res.message;
    }
    return entry;
  });

  // 4. Registered but unlisted MACs: same company as our listed ones means ours; unknown, ask checkPhone.
  total += needsOwnerCheck.filter((i) => ownCompany === null || entries[i].ownerCompany !== ownCompany).length;
  await mapWithConcurrency(needsOwnerCheck, opts.concurrency, async (i) => {
    const entry = entries[i];
    let ours: boolean;
    if (ownCompany !== null && entry.ownerCompany === ownCompany) ours = true;
    else {
      const check = await checkPhone(account, entry.mac);
      done++;
      await progress();
      if (check.kind !== "ok" && check.kind !== "owned_by_other_user" && check.kind !== "no_such_mac") {
        entry.category = "error";
        entry.error = check.message;
        return;
      }
      ours = check.kind === "ok";
    }
    if (ours) entry.category = categoryOfOurs(entry);
    else {
      entry.category = "owned_elsewhere";
      entry.serviceUrl = null; // another account's URL is not ours to show or adopt
    }
  });

  await db.reconcileRun.update({
    where: { id: runId },
    data: {
      status: "done",
      done,
      total: done,
      entriesJson: JSON.stringify(entries),
      finishedAt: new Date(),
      error:
        listFailures.length > 0
          ? cleanServiceText(`Some models could not be listed: ${listFailures.join("; ")}`, SERVICE_TEXT_MAX)
          : null,
    },
  });
  if (opts.kind === "reconcile") {
    await db.organization.update({ where: { id: organizationId }, data: { reconcileLastAt: new Date() } });
  }
}

function categoryOfOurs(entry: ReconcileEntry): ReconcileCategory {
  if (!entry.phoneId) return "orphan";
  return entry.serviceUrl === entry.expectedUrl ? "in_sync" : "drift";
}

/** A run with its entries, scoped to the organization; null when it is not the organization's. */
export async function readRun(db: Db, organizationId: string, runId: string): Promise<ReconcileRunView | null> {
  const run = await db.reconcileRun.findFirst({ where: { id: runId, organizationId } });
  if (!run) return null;
  // A scan no process is running any more (the server restarted mid-scan) reads as failed, not as forever running.
  const interrupted = run.status === "running" && run.startedAt.getTime() < Date.now() - STALE_SCAN_MS;
  return {
    id: run.id,
    kind: run.kind as ReconcileRunView["kind"],
    status: interrupted ? "failed" : (run.status as ReconcileRunView["status"]),
    total: run.total,
    done: run.done,
    error: interrupted ? "The scan was interrupted (the server restarted). Start it again." : run.error,
    startedAt: run.startedAt,
    finishedAt: run.finishedAt,
    entries: JSON.parse(run.entriesJson) as ReconcileEntry[],
  };
}

/** The organization's latest run of a kind, or null. */
export async function latestRun(
  db: Db,
  organizationId: string,
  kind: "import" | "reconcile",
): Promise<ReconcileRunView | null> {
  const run = await db.reconcileRun.findFirst({
    where: { organizationId, kind },
    orderBy: { startedAt: "desc" },
    select: { id: true },
  });
  return run ? readRun(db, organizationId, run.id) : null;
}

export type FixRequest = {
  runId: string;
  fix: ReconcileFix;
  /** The MACs to fix; each must be a row of the run whose category offers the fix. */
  macs: string[];
  /** "user:<id>" (history actor). */
  actor: string;
  /** For "import": the customer (of this organization) to put the phones in; null = "Unassigned". */
  customerId?: string | null;
  concurrency: number;
};

export type FixResult = { applied: number; failed: { mac: string; message: string }[]; skipped: number };

/**
 * Applies one fix to rows of a finished run. Every call to the service and every adoption/import is
 * recorded in the phone's history (SyncEvent). Rows whose category does not offer the fix, or that
 * were already fixed, are skipped. Throws ReconcileError for a run that is not this organization's
 * or not finished, or a customer that is not the organization's.
 */
export async function applyFix(
  db: Db,
  organizationId: string,
  account: RdsAccount | null,
  req: FixRequest,
): Promise<FixResult> {
  const run = await readRun(db, organizationId, req.runId);
  if (!run) throw new ReconcileError("That report does not exist.");
  if (run.status !== "done") throw new ReconcileError("That report is not finished.");
  const wanted = new Set(req.macs);
  const allowed: Record<ReconcileFix, ReconcileCategory[]> = {
    push: ["drift", "missing"],
    adopt: ["drift"],
    deregister: ["orphan"],
    import: ["orphan"],
  };
  const rows = run.entries.filter((e) => wanted.has(e.mac) && !e.fixed && allowed[req.fix].includes(e.category));
  const result: FixResult = { applied: 0, failed: [], skipped: wanted.size - rows.length };
  if (rows.length === 0) return result;
  if (req.fix !== "adopt" && req.fix !== "import" && !account)
    throw new ReconcileError("The organization has no usable redirection account.");

  const record = (
    mac: string,
    phoneId: string | null,
    method: string,
    res: RdsResult<unknown> | "ok",
    url: string | null,
  ) =>
    db.syncEvent.create({
      data: {
        organizationId,
        phoneId,
        mac,
        method,
        outcome: res === "ok" ? "ok" : res.kind,
        actor: req.actor,
        url,
        httpStatus: res === "ok" ? null : (res.raw.status ?? null),
        rawExcerpt: res === "ok" ? null : cleanServiceText(res.raw.excerpt, SERVICE_TEXT_MAX),
        durationMs: res === "ok" ? 0 : Math.round(res.durationMs),
      },
    });

  if (req.fix === "import") {
    const customerId = await importCustomerId(db, organizationId, req.customerId ?? null);
    const existing = new Set(
      (
        await db.phone.findMany({
          where: { organizationId, mac: { in: rows.map((r) => r.mac) } },
          select: { mac: true },
        })
      ).map((p) => p.mac),
    );
    const customer = await db.customer.findUniqueOrThrow({
      where: { id: customerId },
      select: { urlTemplate: true, organization: { select: { urlTemplate: true } } },
    });
    const inherited = effectiveUrl(null, customer.urlTemplate, customer.organization.urlTemplate);
    for (const row of rows) {
      if (existing.has(row.mac)) {
        row.fixed = "import:already_in_portal";
        result.skipped++;
        continue;
      }
      const url = row.serviceUrl || null;
      await db.$transaction(async (tx) => {
        const phone = await tx.phone.create({
          data: {
            organizationId,
            customerId,
            mac: row.mac,
            // The service's URL stays what the phone gets: kept as an override unless the customer's template already says it.
            urlOverride: url && url !== inherited ? url : null,
            ...phoneKeys({}),
            syncStatus: url ? "synced" : "needs_url",
            registeredUrl: url,
            syncedAt: new Date(),
          },
        });
        await tx.syncEvent.create({
          data: {
            organizationId,
            phoneId: phone.id,
            mac: row.mac,
            method: "reconcile.import",
            outcome: "ok",
            actor: req.actor,
            url,
            durationMs: 0,
          },
        });
        row.phoneId = phone.id;
      });
      row.fixed = "import:ok";
      result.applied++;
    }
  } else if (req.fix === "adopt") {
    for (const row of rows) {
      if (!row.phoneId || !row.serviceUrl) {
        row.fixed = "adopt:no_url";
        result.failed.push({ mac: row.mac, message: "The service holds no URL to adopt." });
        continue;
      }
      const url = row.serviceUrl;
      await db.$transaction(async (tx) => {
        const updated = await tx.phone.updateMany({
          where: { id: row.phoneId!, organizationId },
          data: {
            urlOverride: url,
            registeredUrl: url,
            syncStatus: "synced",
            syncedAt: new Date(),
            lastErrorCode: null,
            lastErrorText: null,
          },
        });
        if (updated.count === 1) {
          await tx.syncEvent.create({
            data: {
              organizationId,
              phoneId: row.phoneId,
              mac: row.mac,
              method: "reconcile.adopt",
              outcome: "ok",
              actor: req.actor,
              url,
              durationMs: 0,
            },
          });
        }
      });
      row.fixed = "adopt:ok";
      result.applied++;
    }
  } else {
    await mapWithConcurrency(rows, req.concurrency, async (row) => {
      if (req.fix === "deregister") {
        const res = await deregisterPhone(account!, row.mac);
        await record(row.mac, null, "deregisterPhone", res, null);
        row.fixed = `deregister:${res.kind}`;
        if (res.kind === "ok" || res.kind === "no_such_mac") result.applied++;
        else result.failed.push({ mac: row.mac, message: res.message });
        return;
      }
      // push ours
      if (!row.phoneId || !row.expectedUrl) {
        row.fixed = "push:needs_url";
        result.failed.push({ mac: row.mac, message: "The phone has no provisioning URL to push." });
        return;
      }
      const res = await registerPhone(account!, row.mac, row.expectedUrl);
      await record(row.mac, row.phoneId, "registerPhone", res, row.expectedUrl);
      row.fixed = `push:${res.kind}`;
      if (res.kind === "ok") {
        await db.phone.updateMany({
          where: { id: row.phoneId, organizationId },
          data: {
            syncStatus: "synced",
            registeredUrl: row.expectedUrl,
            syncedAt: new Date(),
            lastErrorCode: null,
            lastErrorText: null,
            ownerCompany: null,
          },
        });
        result.applied++;
      } else {
        if (res.kind === "owned_by_other_user") {
          await db.phone.updateMany({
            where: { id: row.phoneId, organizationId },
            data: {
              syncStatus: "owned_elsewhere",
              lastErrorCode: res.kind,
              lastErrorText: res.message,
              registeredUrl: null,
              ownerCheckedAt: new Date(),
            },
          });
        }
        result.failed.push({ mac: row.mac, message: res.message });
      }
    });
  }

  await db.reconcileRun.update({ where: { id: run.id }, data: { entriesJson: JSON.stringify(run.entries) } });
  return result;
}

/** The chosen customer (checked to be the organization's) or the organization's "Unassigned" customer, created on first use. */
export async function importCustomerId(db: Db, organizationId: string, customerId: string | null): Promise<string> {
  if (customerId) {
    const customer = await db.customer.findFirst({ where: { id: customerId, organizationId }, select: { id: true } });
    if (!customer) throw new ReconcileError("That customer does not exist.");
    return customer.id;
  }
  // Check, then create: two imports at once both find none; the unique (organizationId, numberKey)
  // refuses the second create, whose retry finds the first one's customer. By the number's key: a
  // customer the user numbered "unassigned" is that customer (the number is unique in any case).
  return withTransactionRetry(async () => {
    const existing = await db.customer.findFirst({
      where: { organizationId, OR: [{ numberKey: numberKey(UNASSIGNED_CUSTOMER.number) }, { number: UNASSIGNED_CUSTOMER.number }] },
      select: { id: true },
    });
    if (existing) return existing.id;
    const created = await db.customer.create({
      data: {
        organizationId,
        name: UNASSIGNED_CUSTOMER.name,
        number: UNASSIGNED_CUSTOMER.number,
        ...customerKeys(UNASSIGNED_CUSTOMER),
        notes: "Phones imported from the redirection service without a customer.",
      },
    });
    return created.id;
  });
}
