"use server";
import { countOf } from "@/lib/format";
import { notFound, redirect } from "next/navigation";
import { revalidatePath } from "next/cache";
import { z } from "zod";
import { formAction, optionalText, provisioningUrl } from "@/lib/actions/action";
import { createCustomer, deleteCustomer, getCustomer, updateCustomer } from "@/lib/data/customers";
import { requeuePhones } from "@/lib/data/phones";
import { pokeInProcessWorker } from "@/lib/sync/in-process";
import { recordAudit } from "@/lib/audit/record";
import { describeChanges } from "@/lib/audit/summary";

const CustomerSchema = z.object({
  name: z.string().trim().min(1, "Enter the customer's name.").max(200, "At most 200 characters."),
  number: z
    .string()
    .trim()
    .min(1, "Enter a customer number.")
    .max(50, "At most 50 characters.")
    .pipe(z.string().regex(/^[\w./-]+$/, "Use letters, digits, and . _ / - only.")),
  contactName: optionalText(200),
  contactEmail: optionalText(200).refine((v) => v === null || z.email().safeParse(v).success, "Enter a valid e-mail address."),
  contactPhone: optionalText(50),
  notes: optionalText(2000),
  urlTemplate: provisioningUrl,
});

export const createCustomerAction = formAction("customers:write", CustomerSchema, async (input, user) => {
  const result = await createCustomer(user, input);
  if (!result.ok) return result;
  await recordAudit(user, "customer.create", { type: "customer", id: result.id }, `${input.name} (${input.number})`);
  revalidatePath("/customers");
  redirect(`/customers/${result.id}`);
});

const IdSchema = z.object({ id: z.string().min(1).max(64) });

export const updateCustomerAction = formAction("customers:write", CustomerSchema.extend(IdSchema.shape), async (input, user) => {
  const { id, ...data } = input;
  const before = await getCustomer(user, id);
  const result = await updateCustomer(user, id, data);
  if (result === null) notFound();
  if (!result.ok) return result;
  await recordAudit(user, "customer.update", { type: "customer", id }, describeChanges(before, data));
  revalidatePath("/customers");
  pokeInProcessWorker();
  revalidatePath(`/customers/${id}`);
  redirect(`/customers/${id}`);
});

export const deleteCustomerAction = formAction("customers:write", IdSchema, async ({ id }, user) => {
  const before = await getCustomer(user, id);
  const result = await deleteCustomer(user, id);
  if (result === null) notFound();
  if (!result.ok) {
    return {
      message: `This customer still has ${countOf(result.phoneCount, "phone")}. Move or delete them first.`,
      data: { hasPhones: true },
    };
  }
  await recordAudit(user, "customer.delete", { type: "customer", id }, `${before?.name} (${before?.number})`);
  revalidatePath("/customers");
  redirect("/customers");
});

const SyncSchema = z.object({ id: z.string().min(1).max(64), scope: z.enum(["all", "failed"]) });

export const syncCustomerAction = formAction("phones:sync", SyncSchema, async ({ id, scope }, user) => {
  const customer = await getCustomer(user, id);
  if (!customer) notFound();
  const count = await requeuePhones(user, { customerId: id, onlyRetryable: scope === "failed" });
  await recordAudit(user, "customer.sync", { type: "customer", id }, `${scope === "failed" ? "Retry all failed" : "Sync now"}: ${countOf(count, "phone")} of ${customer.name} queued`);
  pokeInProcessWorker();
  revalidatePath(`/customers/${id}`);
  return {
    ok: true,
    message: count === 0 ? "Nothing to retry." : `${countOf(count, "phone")} queued.`,
  };
});
