"use server";
import { notFound, redirect } from "next/navigation";
import { revalidatePath } from "next/cache";
import { z } from "zod";
import { formAction, optionalText, provisioningUrl } from "@/lib/actions/action";
import { createPhone, deletePhone, updatePhone } from "@/lib/data/phones";

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
  confirmNonSnom: z.literal("yes").optional(),
});

export const createPhoneAction = formAction("phones:write", CreatePhoneSchema, async (input, user) => {
  const { customerId, mac, confirmNonSnom, ...fields } = input;
  const result = await createPhone(user, customerId, mac, fields, confirmNonSnom === "yes");
  if (result === null) notFound();
  if (!result.ok) {
    if ("needsConfirmation" in result) {
      return { message: result.message, data: { confirmMac: result.mac }, fieldErrors: {} };
    }
    return result;
  }
  revalidatePath(`/customers/${customerId}`);
  return { ok: true };
});

export const updatePhoneAction = formAction(
  "phones:write",
  PhoneFieldsSchema.extend({ id: Id, customerId: Id }),
  async ({ id, ...input }, user) => {
    const result = await updatePhone(user, id, input);
    if (result === null) notFound();
    if (!result.ok) return result;
    revalidatePath(`/phones/${id}`);
    redirect(`/phones/${id}`);
  },
);

export const deletePhoneAction = formAction("phones:write", z.object({ id: Id }), async ({ id }, user) => {
  const result = await deletePhone(user, id);
  if (result === null) notFound();
  revalidatePath(`/customers/${result.customerId}`);
  redirect(`/customers/${result.customerId}`);
});
