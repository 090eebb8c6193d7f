"use server";
import { revalidatePath } from "next/cache";
import { notFound } from "next/navigation";
import { z } from "zod";
import { formAction, optionalText } from "@/lib/actions/action";
import { describeProfileSaved, setCustomerProfile } from "@/lib/data/provisioning";
import { recordAudit } from "@/lib/audit/record";

const CustomerProfileSchema = z.object({ id: z.string().min(1), profileId: optionalText(100) });

/** The configuration profile a customer's phones receive (empty: the organization's default). */
export const customerProfileAction = formAction("customers:write", CustomerProfileSchema, async (input, user) => {
  const result = await setCustomerProfile(user, input.id, input.profileId);
  if (result === null) notFound();
  if (!result.ok) return result;
  await recordAudit(user, "customer.profile", { type: "customer", id: input.id }, `${result.customerName}: ${result.profileName ? `profile “${result.profileName}”` : "the organization's default profile"}`);
  revalidatePath(`/customers/${input.id}`);
  return { ok: true, message: describeProfileSaved(result.outsideUrl) };
});
