"use server";
import { revalidatePath } from "next/cache";
import { z } from "zod";
import { formAction, optionalText, type ActionState } from "@/lib/actions/action";
import { ENDPOINT_KINDS, saveRedirectionSettings } from "@/lib/data/redirection-settings";
import { accountForOrganization } from "@/lib/redirection/org-account";
import { echo } from "@/lib/redirection/client";
import { resumeOrganizationQueue } from "@/lib/sync/worker";
import { pokeInProcessWorker, reloadAccountInProcessWorker } from "@/lib/sync/in-process";
import { prisma } from "@/lib/db";

const SettingsSchema = z
  .object({
    endpointKind: z.enum(ENDPOINT_KINDS, { message: "Choose where registrations go." }),
    customUrl: optionalText(300),
    username: optionalText(200),
    // Passwords are taken as typed (no trimming); empty keeps the stored one.
    password: z
      .string()
      .max(200, "At most 200 characters.")
      .optional()
      .transform((v) => (v ? v : null)),
  })
  .superRefine((d, ctx) => {
    if (d.endpointKind !== "CUSTOM") return;
    const url = d.customUrl ?? "";
    let parsed: URL | null = null;
    try {
      parsed = new URL(url);
    } catch {
      /* reported below */
    }
    if (!parsed || !["http:", "https:"].includes(parsed.protocol)) {
      ctx.addIssue({ code: "custom", path: ["customUrl"], message: "Enter the endpoint as an http:// or https:// URL." });
    } else if (!parsed.pathname.endsWith("/")) {
      ctx.addIssue({ code: "custom", path: ["customUrl"], message: "The endpoint must end with a slash, e.g. https://host:8083/xmlrpc/ (the service answers 404 without it)." });
    }
  });

export const saveRedirectionSettingsAction = formAction("org:manage", SettingsSchema, async (input, user): Promise<ActionState> => {
  const result = await saveRedirectionSettings(user, input);
  if (!result.ok) return { ...result, values: { endpointKind: input.endpointKind, customUrl: input.customUrl ?? "", username: input.username ?? "" } };
  reloadAccountInProcessWorker(user.organizationId);
  revalidatePath("/", "layout");
  return {
    ok: true,
    message: result.requeued > 0 ? `Saved. All ${result.requeued} phones are queued for the new service.` : "Saved.",
    values: {},
  };
});

export const testConnectionAction = formAction("org:manage", z.object({}), async (_input, user): Promise<ActionState> => {
  const account = await accountForOrganization(user.organizationId);
  if (!account) return { message: "No usable account: save the endpoint, username and password first.", data: { outcome: "not_configured" } };
  const result = await echo(account, "ping");
  if (result.kind === "ok") {
    await resumeOrganizationQueue(prisma, user.organizationId);
    pokeInProcessWorker();
    revalidatePath("/", "layout");
    return { ok: true, message: `Connected: ${account.url} accepted the credentials of “${account.username}” (${Math.round(result.durationMs)} ms).`, data: { outcome: "ok" } };
  }
  const reasons: Record<string, string> = {
    auth_failed: "Wrong credentials: the service refused the username or password (HTTP 401/403).",
    transient: `Unreachable: ${result.message}.`,
    protocol: `The endpoint answered, but not like snom's redirection service: ${result.message}.`,
  };
  return { message: reasons[result.kind] ?? `${result.kind}: ${result.message}`, data: { outcome: result.kind } };
});
