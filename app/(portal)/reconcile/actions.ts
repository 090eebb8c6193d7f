"use server";
import { revalidatePath } from "next/cache";
import { notFound, redirect } from "next/navigation";
import { z } from "zod";
import { formAction, provisioningUrl } from "@/lib/actions/action";
import { auditCustomerNames, recordAudit, recordPhoneAudit } from "@/lib/audit/record";
import {
  applyReconcileFix,
  recheckPhoneOwner,
  setReconcileSchedule,
  startOrganizationScan,
  startRepoint,
  undoRepoint,
} from "@/lib/data/reconcile";
import { SYNC_STATUSES } from "@/lib/sync/status";
import { RECONCILE_CATEGORIES, RECONCILE_FIX_LABELS, RECONCILE_FIXES } from "@/lib/reconcile/types";
import { countOf } from "@/lib/format";

const ScanSchema = z.object({ kind: z.enum(["import", "reconcile"]) });

/** Starts reading the organization's account at the service (import preview) or a reconcile; nothing is changed. */
export const startScanAction = formAction("org:manage", ScanSchema, async (input, user) => {
  const result = await startOrganizationScan(user, input.kind);
  if (!result.ok) return result;
  await recordAudit(
    user,
    "reconcile.scan",
    { type: "reconcile", id: result.runId },
    input.kind === "import" ? "Import scan started" : "Reconcile started",
  );
  revalidatePath("/reconcile");
  return { ok: true, message: input.kind === "import" ? "Reading the account at the service…" : "Reconcile started…" };
});

const FixSchema = z
  .object({
    runId: z.string().min(1).max(64),
    fix: z.enum(RECONCILE_FIXES),
    mac: z
      .string()
      .regex(/^[0-9A-F]{12}$/, "Not a MAC of this report.")
      .optional(),
    category: z.enum(RECONCILE_CATEGORIES).optional(),
    customerId: z.string().max(64).optional(),
  })
  .refine((v) => (v.mac ? !v.category : !!v.category), { message: "Choose one row or one group.", path: ["mac"] });

/** Applies one fix (push ours, adopt theirs, deregister, import) to one row or every row of a group. */
export const reconcileFixAction = formAction("org:manage", FixSchema, async (input, user) => {
  const result = await applyReconcileFix(user, {
    runId: input.runId,
    fix: input.fix,
    mac: input.mac ?? null,
    category: input.category ?? null,
    customerId: input.customerId || null,
  });
  if (result === null) notFound();
  if (!result.ok) return { message: result.message };
  if (result.applied > 0 || result.failed.length > 0) {
    // An import fix names the customer the phones went to, and the row opens it.
    const [customerName] = input.customerId ? await auditCustomerNames(user, [input.customerId]) : [];
    await recordAudit(
      user,
      "reconcile.fix",
      customerName ? { type: "customer", id: input.customerId } : { type: "reconcile", id: input.runId },
      `${RECONCILE_FIX_LABELS[input.fix]}: ${result.applied} applied, ${result.failed.length} failed${input.mac ? ` (${input.mac})` : ""}${customerName ? ` into “${customerName}”` : ""}`,
    );
  }
  revalidatePath("/reconcile");
  const failed =
    result.failed.length > 0
      ? ` ${result.failed.length} failed: ${result.failed
          .slice(0, 3)
          .map((f) => `${f.mac} ${f.message}`)
          .join("; ")}`
      : "";
  return {
    ok: result.failed.length === 0,
    message: `${RECONCILE_FIX_LABELS[input.fix]}: ${result.applied} done.${failed}`,
  };
});

const ScheduleSchema = z.object({
  everyHours: z.coerce
    .number({ error: "Enter a number of hours." })
    .int("Whole hours only.")
    .min(0, "0 (off) or more.")
    .max(24 * 30, "At most 720 hours (30 days)."),
});

/** How often the organization is reconciled on its own (hours, 0 = off). */
export const reconcileScheduleAction = formAction("org:manage", ScheduleSchema, async (input, user) => {
  await setReconcileSchedule(user, input.everyHours);
  await recordAudit(
    user,
    "reconcile.schedule",
    { type: "organization", id: user.organizationId },
    input.everyHours === 0 ? "Scheduled reconcile off" : `Reconcile every ${input.everyHours} h`,
  );
  revalidatePath("/reconcile");
  return {
    ok: true,
    message: input.everyHours === 0 ? "Scheduled reconcile is off." : `Reconciled every ${input.everyHours} hours.`,
  };
});

const RecheckSchema = z.object({ id: z.string().min(1).max(64) });

/** Asks the service now whether an owned-elsewhere phone has been released; queues it when it has. */
export const recheckOwnerAction = formAction("phones:sync", RecheckSchema, async (input, user) => {
  const result = await recheckPhoneOwner(user, input.id);
  if (result === null) notFound();
  if (!result.ok) return { message: result.message };
  await recordPhoneAudit(
    user,
    "phone.owner_recheck",
    input.id,
    result.released ? "Released: queued for registration" : "Still owned elsewhere",
  );
  revalidatePath(`/phones/${input.id}`);
  return {
    ok: true,
    message: result.released
      ? "Released by its owner: queued for registration."
      : "Still registered to another account.",
  };
});

const RepointSchema = z.object({
  template: provisioningUrl.refine((v) => v !== null, "Enter the new provisioning URL."),
  customerId: z.string().max(64).optional(),
  status: z.enum(SYNC_STATUSES).or(z.literal("")).optional(),
});

/** Moves every phone in scope to the new URL template (phone overrides), queued; the page then shows progress. */
export const repointAction = formAction("org:manage", RepointSchema, async (input, user) => {
  const scope = { customerId: input.customerId || null, status: input.status || null };
  const result = await startRepoint(user, scope, input.template!);
  if (!result.ok) return { message: result.message };
  const [customerName] = scope.customerId ? await auditCustomerNames(user, [scope.customerId]) : [];
  const scopeWords = [
    scope.customerId ? `customer “${customerName ?? scope.customerId}”` : "all customers",
    scope.status ? `status ${scope.status}` : "",
  ].filter(Boolean);
  await recordAudit(
    user,
    "reconcile.repoint",
    { type: "reconcile", id: result.runId },
    `${countOf(result.queued, "phone")} of ${scopeWords.join(", ")} re-pointed to ${input.template}`,
  );
  revalidatePath("/reconcile/repoint");
  redirect(`/reconcile/repoint?run=${encodeURIComponent(result.runId)}`);
});

const RollbackSchema = z.object({ runId: z.string().min(1).max(64) });

/** Puts every phone of a re-point back on its previous URL, queued. */
export const rollbackRepointAction = formAction("org:manage", RollbackSchema, async (input, user) => {
  const result = await undoRepoint(user, input.runId);
  if (result === null) notFound();
  if (!result.ok) return { message: result.message };
  await recordAudit(
    user,
    "reconcile.repoint_rollback",
    { type: "reconcile", id: input.runId },
    `${countOf(result.restored, "phone")} back on their previous URL, ${result.kept} changed since and kept`,
  );
  revalidatePath("/reconcile/repoint");
  return {
    ok: true,
    message: `Rolled back: ${countOf(result.restored, "phone")} queued with their previous URL${result.kept ? `, ${result.kept} changed since and kept` : ""}.`,
  };
});
