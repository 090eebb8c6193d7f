"use server";
import { revalidatePath } from "next/cache";
import { notFound } from "next/navigation";
import { z } from "zod";
import { formAction, optionalText } from "@/lib/actions/action";
import { setCustomerProfile } from "@/lib/data/provisioning";

const CustomerProfileSchema = z.object({ id: z.string().min(1), profileId: optionalText(100) });

/** The configuration profile a customer's phones receive (empty: the organization's default). */
export const customerProfileAction = formAction("customers:write", CustomerProfileSchema, async (input, user) => {
  // audit: customer.profile
  const result = await setCustomerProfile(user, input.id, input.profileId);
  if (result === null) notFound();
  if (!result.ok) return result;
  revalidatePath(`/customers/${input.id}`);
  return { ok: true, message: "Configuration profile saved. The phones get it with their next fetch." };
});
