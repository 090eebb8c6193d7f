"use server";
import { revalidatePath } from "next/cache";
import { redirect } from "next/navigation";
import { z } from "zod";
import { formAction, provisioningUrl } from "@/lib/actions/action";
import { PasswordSchema } from "@/lib/auth/schemas";
import { updateOrganizationSettings } from "@/lib/data/organizations";
import { changeOwnPassword } from "@/lib/data/users";
import { pokeInProcessWorker } from "@/lib/sync/in-process";
import { getOrganization } from "@/lib/data/organizations";
import { recordAudit } from "@/lib/audit/record";
import { describeChanges } from "@/lib/audit/summary";

const OrgSchema = z.object({
  name: z.string().trim().min(2, "Enter the organization's name.").max(120),
  urlTemplate: provisioningUrl,
});

export const updateOrganizationAction = formAction("org:manage", OrgSchema, async (input, user) => {
  const before = await getOrganization(user);
  const result = await updateOrganizationSettings(user, input);
  if (!result.ok) return result;
  await recordAudit(user, "org.update", { type: "organization", id: user.organizationId }, `${describeChanges(before, input)}; ${result.requeued} phone(s) re-queued`);
  revalidatePath("/", "layout");
  pokeInProcessWorker();
  const requeued = result.requeued > 0 ? ` ${result.requeued} phone${result.requeued === 1 ? " uses" : "s use"} the default URL and ${result.requeued === 1 ? "is" : "are"} re-registered with the new one.` : "";
  return { ok: true, message: `Organization settings saved.${requeued}` };
});

const PasswordChangeSchema = z
  .object({ currentPassword: z.string().min(1, "Enter your current password."), newPassword: PasswordSchema, newPasswordConfirm: z.string() })
  .refine((d) => d.newPassword === d.newPasswordConfirm, { path: ["newPasswordConfirm"], message: "The passwords do not match." });

// Every signed-in user may change their own password ("customers:write" is held by every role).
export const changePasswordAction = formAction("customers:write", PasswordChangeSchema, async (input, user) => {
  const result = await changeOwnPassword(user, input.currentPassword, input.newPassword);
  if (!result.ok) return { ...result, values: {} };
  await recordAudit(user, "user.password_change", { type: "user", id: user.id }, "Own password changed; every session ended");
  // Every session of this user ends, this one included: sign in again with the new password.
  redirect("/login?reason=password-changed");
});
