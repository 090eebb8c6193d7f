"use server";
import { revalidatePath } from "next/cache";
import { redirect } from "next/navigation";
import { z } from "zod";
import { formAction, provisioningUrl } from "@/lib/actions/action";
import { PasswordSchema } from "@/lib/auth/schemas";
import { countPhonesForDefaultUrlChange, updateOrganizationSettings } from "@/lib/data/organizations";
import { countOf } from "@/lib/format";
import { changeOwnPassword } from "@/lib/data/users";
import { pokeInProcessWorker } from "@/lib/sync/in-process";
import { getOrganization } from "@/lib/data/organizations";
import { recordAudit } from "@/lib/audit/record";
import { describeChanges } from "@/lib/audit/summary";

const OrgSchema = z.object({
  name: z.string().trim().min(2, "Enter the organization's name.").max(120),
  urlTemplate: provisioningUrl,
  /** What the user confirmed after the warning: the number of re-registrations and the URL they were for. */
  confirmRequeue: z.coerce.number().int().min(0).optional(),
  confirmedUrl: z.string().max(2000).optional(),
});

export const updateOrganizationAction = formAction("org:manage", OrgSchema, async ({ confirmRequeue, confirmedUrl, ...input }, user) => {
  const before = await getOrganization(user);
  // A new default URL re-registers every phone that uses it: say how many, and wait for a second Save
  // of exactly that URL (another URL, or another count, asks again).
  const affected = await countPhonesForDefaultUrlChange(user, input.urlTemplate);
  if (affected > 0 && (confirmRequeue !== affected || confirmedUrl !== (input.urlTemplate ?? ""))) {
    const noMac = input.urlTemplate && !input.urlTemplate.includes("{mac}")
      ? " The new URL has no {mac}: every one of them would fetch the same file."
      : "";
    return {
      message: `Saving re-registers ${countOf(affected, "phone")} with the new default URL at the redirection service.${noMac} Press Save again to confirm.`,
      data: { confirmRequeue: affected, confirmedUrl: input.urlTemplate ?? "" },
    };
  }
  const result = await updateOrganizationSettings(user, input);
  if (!result.ok) return result;
  await recordAudit(user, "org.update", { type: "organization", id: user.organizationId }, `${describeChanges(before, input)}; ${countOf(result.requeued, "phone")} re-queued`);
  revalidatePath("/", "layout");
  pokeInProcessWorker();
  const requeued = result.requeued > 0 ? ` ${result.requeued} phone${result.requeued === 1 ? " uses" : "s use"} the default URL and ${result.requeued === 1 ? "is" : "are"} re-registered with the new one.` : "";
  return { ok: true, message: `Organization settings saved.${requeued}` };
});

const PasswordChangeSchema = z
  .object({ currentPassword: z.string().min(1, "Enter your current password."), newPassword: PasswordSchema, newPasswordConfirm: z.string() })
  .refine((d) => d.newPassword === d.newPasswordConfirm, { path: ["newPasswordConfirm"], message: "The passwords do not match." });

// Every signed-in user may change their own password ("customers:write" is held by every role),
// also (and first of all) one who must replace a password someone else chose: the only action they may call.
export const changePasswordAction = formAction(
  "customers:write",
  PasswordChangeSchema,
  async (input, user) => {
    const result = await changeOwnPassword(user, input.currentPassword, input.newPassword);
    if (!result.ok) return { ...result, values: {} };
    await recordAudit(user, "user.password_change", { type: "user", id: user.id }, "Own password changed; every session ended");
    // Every session of this user ends, this one included: sign in again with the new password
    // (the sign-in page prefills the e-mail, as after the first-run setup).
    redirect(`/login?${new URLSearchParams({ reason: "password-changed", email: user.email })}`);
  },
  { allowPendingPasswordChange: true },
);
