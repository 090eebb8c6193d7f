import "server-only";
import { prisma } from "../db";
import { env } from "../env";
import { applyFix, latestRun, ReconcileError, readRun, startScan, type FixResult } from "../reconcile/engine";
import { recheckOwnedElsewhere, type RecheckResult } from "../reconcile/recheck";
import {
  applyRepoint,
  planRepoint,
  repointProgress,
  rollbackRepoint,
  type RepointItem,
  type RepointPlan,
  type RepointProgress,
  type RepointScope,
} from "../reconcile/repoint";
import { type ReconcileCategory, type ReconcileFix, type ReconcileRunView } from "../reconcile/types";
import { accountForOrganization } from "../redirection/org-account";
import { fail, type Actor, type Result } from "./common";

/** How long starting a scan waits for it to finish before answering (then the page shows progress). */
const SCAN_WAIT_MS = 5_000;

/** Most rows one page shows per category (the counts are always complete). */
export const REPORT_ROWS_PER_CATEGORY = 200;

export type ReconcileOverview = {
  isSandbox: boolean;
  everyHours: number;
  lastAt: Date | null;
  importRun: ReconcileRunView | null;
  reconcileRun: ReconcileRunView | null;
  customers: { id: string; name: string; number: string }[];
};

/** What /reconcile shows: the schedule, the latest import preview and reconcile report, the customers to import into. */
export async function getReconcileOverview(actor: Actor): Promise<ReconcileOverview> {
  const org = await prisma.organization.findUniqueOrThrow({
    where: { id: actor.organizationId },
    select: { rdsEndpointKind: true, reconcileEveryHours: true, reconcileLastAt: true },
  });
  const [importRun, reconcileRun, customers] = await Promise.all([
    latestRun(prisma, actor.organizationId, "import"),
    latestRun(prisma, actor.organizationId, "reconcile"),
    prisma.customer.findMany({
      where: { organizationId: actor.organizationId },
      select: { id: true, name: true, number: true },
      orderBy: { name: "asc" },
      take: 1000,
    }),
  ]);
  return {
    isSandbox: org.rdsEndpointKind === "SANDBOX",
    everyHours: org.reconcileEveryHours,
    lastAt: org.reconcileLastAt,
    importRun,
    reconcileRun,
    customers,
  };
}

/** Starts an import scan or a reconcile of the actor's organization; the page shows its progress. */
export async function startOrganizationScan(
  actor: Actor,
  kind: "import" | "reconcile",
): Promise<Result<{ runId: string }>> {
  const account = await accountForOrganization(actor.organizationId);
  if (!account)
    return fail("The organization has no usable redirection account: check Settings → Redirection service account.");
  try {
    const { runId, finished } = await startScan(prisma, actor.organizationId, account, {
      kind,
      trigger: `user:${actor.id}`,
      concurrency: env.SYNC_CONCURRENCY,
    });
    // A small account is read before the answer goes back, so the page shows the result at once;
    // a large one goes on in the background and the page shows its progress.
    await Promise.race([finished, new Promise((resolve) => setTimeout(resolve, SCAN_WAIT_MS))]);
    return { ok: true, runId };
  } catch (e) {
    if (e instanceof ReconcileError) return fail(e.message);
    throw e;
  }
}

export type FixInput = {
  runId: string;
  fix: ReconcileFix;
  /** One MAC (a row's button) or null with `category` (the bulk button). */
  mac: string | null;
  category: ReconcileCategory | null;
  customerId: string | null;
};

/** Applies a fix to one row or to every row of a category. null: the run is not the actor's organization's. */
export async function applyReconcileFix(
  actor: Actor,
  input: FixInput,
): Promise<(Result<FixResult> & { run: ReconcileRunView }) | null> {
  const run = await readRun(prisma, actor.organizationId, input.runId);
  if (!run) return null;
  const macs = input.mac ? [input.mac] : run.entries.filter((e) => e.category === input.category).map((e) => e.mac);
  const account = await accountForOrganization(actor.organizationId);
  try {
    const result = await applyFix(prisma, actor.organizationId, account, {
      runId: run.id,
      fix: input.fix,
      macs,
      actor: `user:${actor.id}`,
      customerId: input.customerId,
      concurrency: env.SYNC_CONCURRENCY,
    });
    return { ok: true, ...result, run };
  } catch (e) {
    if (e instanceof ReconcileError) return { ...fail(e.message), run };
    throw e;
  }
}

/** Sets the organization's reconcile schedule (hours between runs, 0 = off). */
export async function setReconcileSchedule(actor: Actor, everyHours: number): Promise<void> {
  await prisma.organization.update({ where: { id: actor.organizationId }, data: { reconcileEveryHours: everyHours } });
}

/** "Check again now" for one owned-elsewhere phone. null: not the actor's phone. */
export async function recheckPhoneOwner(actor: Actor, phoneId: string): Promise<Result<RecheckResult> | null> {
  const phone = await prisma.phone.findFirst({
    where: { id: phoneId, organizationId: actor.organizationId },
    select: { id: true, syncStatus: true },
  });
  if (!phone) return null;
  if (phone.syncStatus !== "owned_elsewhere") return fail("This phone is not owned by another account.");
  const account = await accountForOrganization(actor.organizationId);
  if (!account) return fail("The organization has no usable redirection account.");
  const result = await recheckOwnedElsewhere(prisma, actor.organizationId, account, {
    concurrency: 1,
    actor: `user:${actor.id}`,
    force: true,
    phoneIds: [phone.id],
  });
  return { ok: true, ...result };
}

export type RepointView = {
  plan: (RepointPlan & { shown: RepointItem[] }) | null;
  planError: string | null;
  progress: RepointProgress | null;
  customers: { id: string; name: string; number: string }[];
};

/** Most rows of a dry run or a run's result shown on the page (counts are always complete). */
export const REPOINT_ROWS_SHOWN = 500;

/**
 * The re-point page: the customers to choose from, the dry run for the URL's `template` and scope
 * (no writes), and a run's progress. A foreign run or customer reads as absent.
 */
export async function getRepointView(
  actor: Actor,
  input: { template: string | null; scope: RepointScope; runId: string | null },
): Promise<RepointView> {
  const customers = await prisma.customer.findMany({
    where: { organizationId: actor.organizationId },
    select: { id: true, name: true, number: true },
    orderBy: { name: "asc" },
    take: 1000,
  });
  let plan: RepointView["plan"] = null;
  let planError: string | null = null;
  if (input.template) {
    try {
      const full = await planRepoint(prisma, actor.organizationId, input.scope, input.template);
      plan = { ...full, shown: full.items.slice(0, REPOINT_ROWS_SHOWN) };
    } catch (e) {
      if (!(e instanceof ReconcileError)) throw e;
      planError = e.message;
    }
  }
  const progress = input.runId ? await repointProgress(prisma, actor.organizationId, input.runId) : null;
  return { plan, planError, progress, customers };
}

/** Runs a re-point of the actor's organization's phones in scope. */
export async function startRepoint(
  actor: Actor,
  scope: RepointScope,
  template: string,
): Promise<Result<{ runId: string; queued: number }>> {
  try {
    return { ok: true, ...(await applyRepoint(prisma, actor.organizationId, scope, template, `user:${actor.id}`)) };
  } catch (e) {
    if (e instanceof ReconcileError) return fail(e.message);
    throw e;
  }
}

/** Rolls a re-point back. null: not the actor's organization's run. */
export async function undoRepoint(
  actor: Actor,
  runId: string,
): Promise<Result<{ restored: number; kept: number }> | null> {
  const run = await prisma.reconcileRun.findFirst({
    where: { id: runId, organizationId: actor.organizationId, kind: "repoint" },
    select: { id: true },
  });
  if (!run) return null;
  try {
    return { ok: true, ...(await rollbackRepoint(prisma, actor.organizationId, runId)) };
  } catch (e) {
    if (e instanceof ReconcileError) return fail(e.message);
    throw e;
  }
}
