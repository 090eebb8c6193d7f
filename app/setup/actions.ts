"use server";
import { notFound, redirect } from "next/navigation";
import { z } from "zod";
import { ALREADY_SET_UP_MESSAGE, setupFirstRun } from "@/lib/data/organizations";
import { answerConcurrentChange, formValues, provisioningUrl, UNREADABLE_FORM, withoutSecrets, type ActionState } from "@/lib/actions/action";
import { EmailSchema, PasswordSchema } from "@/lib/auth/schemas";
import { needsSetup } from "@/lib/auth/guards";
import { recordSetup } from "@/lib/audit/record";

const SetupSchema = z
  .object({
    organizationName: z.string().trim().min(2, "Enter your organization's name.").max(120),
    urlTemplate: provisioningUrl,
    name: z.string().trim().min(1, "Enter your name.").max(120),
    email: EmailSchema,
    password: PasswordSchema,
    passwordConfirm: z.string(),
  })
  .refine((d) => d.password === d.passwordConfirm, { path: ["passwordConfirm"], message: "The passwords do not match." });

// Public by necessity (no user exists yet); refuses to run once any user exists.
export async function setupAction(_prev: ActionState, formData: FormData): Promise<ActionState> {
  // Checked first, so a set-up portal spends nothing (no parsing, no hashing) on this public action.
  if (!(await needsSetup())) notFound();
  if (!(formData instanceof FormData)) return UNREADABLE_FORM;
  const values = formValues(formData);
  const parsed = SetupSchema.safeParse(values);
  if (!parsed.success) {
    return { message: "Please correct the highlighted fields.", fieldErrors: z.flattenError(parsed.error).fieldErrors, values: withoutSecrets(values) };
  }
  const result = await answerConcurrentChange(() => setupFirstRun(parsed.data));
  if ("concurrentChange" in result) return { message: result.message, values: withoutSecrets(values) };
  // Someone else's setup won the race since the check above: say so (with a link) instead of a 404.
  if (result.value === "already_set_up") {
    return { message: ALREADY_SET_UP_MESSAGE, data: { signIn: true }, values: withoutSecrets(values) };
  }
  await recordSetup(parsed.data.email);
  // The sign-in page prefills the new admin's e-mail (validated again there); never the password.
  redirect(`/login?${new URLSearchParams({ setup: "done", email: parsed.data.email })}`);
}
