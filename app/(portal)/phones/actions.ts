"use server";
import { notFound, redirect } from "next/navigation";
import { revalidatePath } from "next/cache";
import { z } from "zod";
import { formAction, optionalText, provisioningUrl } from "@/lib/actions/action";
import { createPhone, deletePhone, getPhone, requeuePhones, updatePhone } from "@/lib/data/phones";
import { describePhoneEdit, recordAudit, recordPhoneAudit } from "@/lib/audit/record";
import { checkPhoneRedirection } from "@/lib/data/redirection-check";
import { pokeInProcessWorker } from "@/lib/sync/in-process";
import { effectiveUrl } from "@/lib/sync/outbox";
import { getOrganization } from "@/lib/data/organizations";

const PhoneFieldsSchema = z.object({
  label: optionalText(100),
  model: optionalText(50),
  serial: optionalText(100),
  urlOverride: provisioningUrl,
});

const Id = z.string().min(1).max(64);

const CreatePhoneSchema = PhoneFieldsSchema.extend({
  customerId: Id,
  mac: z.string().max(100, "That is far too long for a MAC address."),
  confirmNonSnom: z.string().max(20).optional(),
});

export const createPhoneAction = formAction("phones:write", CreatePhoneSchema, async (input, user) => {
  const { customerId, mac, confirmNonSnom, ...fields } = input;
  const result = await createPhone(user, customerId, mac, fields, confirmNonSnom ?? null);
  if (result === null) notFound();
  if (!result.ok) {
    if ("needsConfirmation" in result) {
      return { message: result.message, data: { confirmMac: result.mac }, fieldErrors: {} };
    }
    return {
      message: result.message,
      fieldErrors: result.fieldErrors,
      data: {
        existingPhoneId: "existingPhoneId" in result ? result.existingPhoneId : undefined,
        sameCustomer: "sameCustomer" in result ? result.sameCustomer : undefined,
      },
    };
  }
  await recordAudit(user, "phone.create", { type: "phone", id: result.id }, `${result.mac} for ${result.customerName}`);
  pokeInProcessWorker();
  revalidatePath(`/customers/${customerId}`);
  return { ok: true, message: await describeAddedPhone(user, result.id, result.mac) };
});

export const updatePhoneAction = formAction(
  "phones:write",
  PhoneFieldsSchema.extend({ id: Id, customerId: Id }),
  async ({ id, ...input }, user) => {
    const before = await getPhone(user, id);
    const result = await updatePhone(user, id, input);
    if (result === null) notFound();
    if (!result.ok) return result;
    const edit = await describePhoneEdit(user, before, input);
    await recordAudit(user, edit.action, { type: "phone", id }, edit.summary);
    pokeInProcessWorker();
    revalidatePath(`/phones/${id}`);
    redirect(`/phones/${id}`);
  },
);

export const deletePhoneAction = formAction("phones:write", z.object({ id: Id }), async ({ id }, user) => {
  const before = await getPhone(user, id);
  const result = await deletePhone(user, id);
  if (result === null) notFound();
  await recordAudit(user, "phone.delete", { type: "phone", id }, `${before?.mac} of customer ${before?.customer.name}`);
  pokeInProcessWorker();
  revalidatePath(`/customers/${result.customerId}`);
  redirect(`/customers/${result.customerId}?deleted=${result.mac}`);
});

/**
 * Why a phone is sent again, when Check redirection contradicted our record (it said synced):
 * `missing` (the service has no registration), `other_url` (it holds a different URL).
 */
const RESEND_REASONS = {
  missing: "Sent again: our record said synced, but the service had no registration",
  other_url: "Sent again: our record said synced, but the service held a different URL",
} as const;

export const retryPhoneAction = formAction(
  "phones:sync",
  z.object({ id: Id, reason: z.enum(["missing", "other_url"]).optional() }),
  async ({ id, reason }, user) => {
    const ok = await requeuePhones(user, { phoneIds: [id] });
    if (ok === 0) notFound();
    const summary = reason ? RESEND_REASONS[reason] : "Queued again for the redirection service";
    await recordPhoneAudit(user, "phone.retry", id, summary);
    pokeInProcessWorker();
    revalidatePath(`/phones/${id}`);
    return {
      ok: true,
      message: reason
        ? "Queued: the worker registers it again now. Check redirection once it shows Synced."
        : "Queued: the worker sends it now.",
    };
  },
);

export const checkRedirectionAction = formAction("phones:sync", z.object({ id: Id }), async ({ id }, user) => {
  const result = await checkPhoneRedirection(user, id);
  if (result === null) notFound();
  revalidatePath(`/phones/${id}`);
  return { ok: result.kind !== "error", data: result };
});

/** What happens next to a phone just added, said truthfully: sent, waiting for a URL, or paused. */
async function describeAddedPhone(user: Parameters<typeof getPhone>[0], id: string, mac: string): Promise<string> {
  const [phone, org] = await Promise.all([getPhone(user, id), getOrganization(user)]);
  if (phone && !effectiveUrl(phone.urlOverride, phone.customer.urlTemplate, phone.organization.urlTemplate)) {
    return `${mac} added. It has no provisioning URL yet: set one on the phone, its customer or in the organization settings, and it is sent to the redirection service.`;
  }
  if (org.rdsPausedAt) return `${mac} added; it waits until the sync is resumed (see the banner above).`;
  return `${mac} added; it is queued for the redirection service.`;
}
