"use server";
import { revalidatePath } from "next/cache";
import { notFound } from "next/navigation";
import { z } from "zod";
import { formAction } from "@/lib/actions/action";
import { setPhoneOverride } from "@/lib/data/provisioning";
import { recordPhoneAudit } from "@/lib/audit/record";

const OverrideSchema = z.discriminatedUnion("intent", [
  z.object({
    intent: z.literal("set"),
    id: z.string().min(1),
    key: z
      .string()
      .trim()
      .toLowerCase()
      .min(1, "Enter a setting name, e.g. user_pass:1.")
      .max(70, "At most 70 characters."),
    value: z.string().max(2000, "At most 2000 characters."),
  }),
  z.object({ intent: z.literal("remove"), id: z.string().min(1), key: z.string().min(1).max(70) }),
]);

/**
 * Sets or removes one setting of one phone on top of its profile. Password values are stored
 * encrypted. Admins only (`phones:configure`, decision 0017): other roles get the refusal sentence.
 */
export const phoneOverrideAction = formAction("phones:configure", OverrideSchema, async (input, user) => {
  const result = await setPhoneOverride(user, input.id, input.key, input.intent === "set" ? input.value : null);
  if (result === null) notFound();
  if (!result.ok) return { ...result, values: { key: input.key } };
  // The setting's name only: its value may be a password.
  await recordPhoneAudit(user, "phone.setting_override", input.id, `${input.key} ${input.intent === "set" ? "set" : "removed"}`);
  revalidatePath(`/phones/${input.id}`);
  return {
    ok: true,
    message: input.intent === "set" ? `Setting ${input.key} saved.` : `Setting ${input.key} removed.`,
  };
});
