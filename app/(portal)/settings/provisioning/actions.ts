"use server";
import { countOf } from "@/lib/format";
import { revalidatePath } from "next/cache";
import { notFound, redirect } from "next/navigation";
import { z } from "zod";
import { formAction, optionalText } from "@/lib/actions/action";
import {
  createProfile,
  deleteProfile,
  rotateProvisioningToken,
  saveProvisioningCredentials,
  setDefaultProfile,
  updateProfile,
  useProvisioningUrlAsDefault,
} from "@/lib/data/provisioning";
import { LineSchema, MAX_LINES, ProfileSettingsSchema, UPDATE_POLICIES } from "@/lib/provisioning/profile";
import { PERMS, settingValueProblem } from "@/lib/provisioning/settings-xml";
import { pokeInProcessWorker } from "@/lib/sync/in-process";
import { recordAudit } from "@/lib/audit/record";

const requeuedText = (n: number) =>
  n > 0 ? ` ${n} phone${n === 1 ? " is" : "s are"} re-registered with the new URL.` : "";

const AddressSchema = z.object({ intent: z.enum(["rotate", "use-default"]) });

/** Creates or rotates the organization's provisioning address, or makes it the default URL template. */
export const provisioningAddressAction = formAction("org:manage", AddressSchema, async (input, user) => {
  if (input.intent === "rotate") {
    const result = await rotateProvisioningToken(user);
    if (!result.ok) return result;
    await recordAudit(user, "provisioning.rotate_token", { type: "organization", id: user.organizationId }, result.first ? "address created" : `address rotated; ${countOf(result.requeued, "phone")} re-queued`);
    pokeInProcessWorker();
    revalidatePath("/", "layout");
    return {
      ok: true,
      message: result.first
        ? "Provisioning address created."
        : `New provisioning address: the old one answers 404 from now on.${requeuedText(result.requeued)}`,
    };
  }
  const result = await useProvisioningUrlAsDefault(user);
  if (!result.ok) return result;
  await recordAudit(user, "provisioning.use_as_default_url", { type: "organization", id: user.organizationId }, `${countOf(result.requeued, "phone")} re-queued`);
  pokeInProcessWorker();
  revalidatePath("/", "layout");
  return {
    ok: true,
    message: `The portal's provisioning URL is now the organization's default.${requeuedText(result.requeued)}`,
  };
});

const secretText = z
  .string()
  .max(200, "At most 200 characters.")
  .refine((v) => settingValueProblem(v) === null, { message: "Contains control characters." });

const CredentialsSchema = z.discriminatedUnion("intent", [
  z.object({
    intent: z.literal("save"),
    username: z.string().trim().min(1, "Enter a username.").max(100, "At most 100 characters."),
    password: secretText.pipe(z.string().min(8, "At least 8 characters.")),
  }),
  z.object({ intent: z.literal("clear") }),
]);

/** HTTP basic credentials the phones must send with every fetch (they travel in the provisioning URL). */
export const provisioningCredentialsAction = formAction("org:manage", CredentialsSchema, async (input, user) => {
  const result = await saveProvisioningCredentials(
    user,
    input.intent === "save" ? { username: input.username, password: input.password } : null,
  );
  if (!result.ok) return result;
  // Never the password: the username, or that the credentials were removed.
  await recordAudit(user, "provisioning.credentials", { type: "organization", id: user.organizationId }, input.intent === "save" ? `username “${input.username}”, new password` : "removed");
  pokeInProcessWorker();
  revalidatePath("/", "layout");
  return {
    ok: true,
    message: `${input.intent === "save" ? "Credentials saved." : "Credentials removed."}${requeuedText(result.requeued)}`,
  };
});

const ProfileNameSchema = z.object({
  name: z.string().trim().min(1, "Enter a name.").max(80, "At most 80 characters."),
});

export const createProfileAction = formAction("org:manage", ProfileNameSchema, async (input, user) => {
  const result = await createProfile(user, input.name);
  if (!result.ok) return result;
  await recordAudit(user, "provisioning.profile_create", { type: "profile", id: result.id }, `“${input.name}”`);
  revalidatePath("/settings/provisioning");
  redirect(`/settings/provisioning?profile=${result.id}`);
});

const boolField = z.preprocess((v) => v === "on" || v === "true", z.boolean());
const lineFields = Object.fromEntries(
  Array.from({ length: MAX_LINES }, (_, i) => i + 1).flatMap((n) =>
    (["sipUser", "authUser", "registrar", "displayName"] as const).map((f) => [`line${n}_${f}`, z.string().optional()]),
  ),
);

const ProfileFormSchema = z
  .object({
    id: z.string().min(1),
    name: z.string().trim().min(1, "Enter a name.").max(80, "At most 80 characters."),
    perm: z.enum(PERMS),
    language: z.string().optional(),
    timezone: z.string().optional(),
    ntpServer: z.string().optional(),
    httpUser: z.string().optional(),
    updatePolicy: z.union([z.literal(""), z.enum(UPDATE_POLICIES)]).optional(),
    firmwareUrl: z.string().optional(),
    dialPlan: z.string().optional(),
    syslogToPortal: boolField,
    adminPassword: secretText.optional(),
    httpPassword: secretText.optional(),
    clearAdminPassword: boolField,
    clearHttpPassword: boolField,
    ...lineFields,
  })
  .transform((v, ctx) => {
    const raw = v as Record<string, unknown>;
    const lines = Array.from({ length: MAX_LINES }, (_, i) => ({
      sipUser: raw[`line${i + 1}_sipUser`] ?? "",
      authUser: raw[`line${i + 1}_authUser`] ?? "",
      registrar: raw[`line${i + 1}_registrar`] ?? "",
      displayName: raw[`line${i + 1}_displayName`] ?? "",
    }));
    const settings = ProfileSettingsSchema.safeParse({
      perm: v.perm,
      language: v.language ?? "",
      timezone: v.timezone ?? "",
      ntpServer: v.ntpServer ?? "",
      httpUser: v.httpUser ?? "",
      updatePolicy: v.updatePolicy || null,
      firmwareUrl: v.firmwareUrl ?? "",
      dialPlan: v.dialPlan ?? "",
      syslogToPortal: v.syslogToPortal,
      lines,
    });
    if (!settings.success) {
      for (const issue of settings.error.issues) {
        const [first, index, field] = issue.path;
        const path = first === "lines" ? `line${Number(index) + 1}_${String(field)}` : String(first);
        ctx.addIssue({ code: "custom", path: [path], message: issue.message });
      }
      return z.NEVER;
    }
    // Trailing empty lines are not lines.
    const kept = [...settings.data.lines];
    while (kept.length && Object.values(kept[kept.length - 1]).every((x) => x === null)) kept.pop();
    return {
      id: v.id,
      name: v.name,
      settings: { ...settings.data, lines: kept.map((l) => LineSchema.parse(l)) },
      adminPassword: v.clearAdminPassword ? "" : v.adminPassword || undefined,
      httpPassword: v.clearHttpPassword ? "" : v.httpPassword || undefined,
    };
  });

export const updateProfileAction = formAction("org:manage", ProfileFormSchema, async (input, user) => {
  const result = await updateProfile(user, input.id, input);
  if (result === null) notFound();
  if (!result.ok) return result;
  const secrets = [input.adminPassword !== undefined && "admin password", input.httpPassword !== undefined && "HTTP password"].filter(Boolean);
  await recordAudit(user, "provisioning.profile_update", { type: "profile", id: input.id }, `“${input.name}”${secrets.length ? ` (${secrets.join(", ")} changed)` : ""}`);
  revalidatePath("/settings/provisioning");
  return { ok: true, message: `Profile “${input.name}” saved. Phones get it with their next fetch.` };
});

const DefaultProfileSchema = z.object({ profileId: optionalText(100) });

export const defaultProfileAction = formAction("org:manage", DefaultProfileSchema, async (input, user) => {
  const result = await setDefaultProfile(user, input.profileId);
  if (result === null) notFound();
  await recordAudit(user, "provisioning.default_profile", { type: "profile", id: input.profileId ?? null }, input.profileId ? "default profile chosen" : "no default profile");
  revalidatePath("/settings/provisioning");
  return {
    ok: true,
    message: input.profileId
      ? "Default profile saved."
      : "No default profile: customers without a profile get an empty settings file.",
  };
});

const DeleteProfileSchema = z.object({ id: z.string().min(1) });

export const deleteProfileAction = formAction("org:manage", DeleteProfileSchema, async (input, user) => {
  const result = await deleteProfile(user, input.id);
  if (result === null) notFound();
  if (!result.ok) return result;
  await recordAudit(user, "provisioning.profile_delete", { type: "profile", id: input.id }, "deleted");
  revalidatePath("/settings/provisioning");
  redirect("/settings/provisioning");
});
