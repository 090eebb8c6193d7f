"use server";
import { revalidatePath } from "next/cache";
import { z } from "zod";
import { formAction, optionalText, type ActionState } from "@/lib/actions/action";
import {
  ENDPOINT_KINDS,
  getRedirectionSettings,
  missingSettings,
  saveRedirectionSettings,
  settingsChanges,
} from "@/lib/data/redirection-settings";
import { accountFromSettings } from "@/lib/redirection/org-account";
import { checkEndpointAddress } from "@/lib/redirection/address-guard";
import { testConnection } from "@/lib/redirection/test-connection";
import { env } from "@/lib/env";
import { resumeOrganizationQueue } from "@/lib/sync/worker";
import { pokeInProcessWorker, reloadAccountInProcessWorker } from "@/lib/sync/in-process";
import { prisma } from "@/lib/db";

const SettingsSchema = z
  .object({
    intent: z.enum(["test", "save"]),
    saveAnyway: z.literal("yes").optional(),
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
    let parsed: URL | null = null;
    try {
      parsed = new URL(d.customUrl ?? "");
    } catch {
      /* reported below */
    }
    if (!parsed || !["http:", "https:"].includes(parsed.protocol)) {
      ctx.addIssue({ code: "custom", path: ["customUrl"], message: "Enter the endpoint as an http:// or https:// URL." });
    } else if (!parsed.pathname.endsWith("/")) {
      ctx.addIssue({
        code: "custom",
        path: ["customUrl"],
        message: "The endpoint must end with a slash, e.g. https://host:8083/xmlrpc/ (the service answers 404 without it).",
      });
    }
  });

/**
 * One form, two buttons. "Test connection" checks the settings as typed, before anything is saved.
 * "Save" tests new endpoints or credentials first: a typo must not re-queue every phone against a
 * service that refuses them (unless the admin ticks "save anyway", e.g. during maintenance).
 */
export const redirectionSettingsAction = formAction(
  "org:manage",
  SettingsSchema,
  async ({ intent, saveAnyway, ...input }, user): Promise<ActionState> => {
    const current = await getRedirectionSettings(user);
    const missing = missingSettings(current, input);
    if (missing) return missing;
    const changes = settingsChanges(current, input);
    if (input.endpointKind === "CUSTOM" && input.customUrl) {
      // Checked on every save, "save anyway" included; the client checks again on every call.
      const address = await checkEndpointAddress(input.customUrl, { allowPrivate: env.ALLOW_PRIVATE_ENDPOINTS });
      if (!address.ok) return { message: address.message, fieldErrors: { customUrl: [address.message] }, data: { tested: "failed" } };
    }

    const mustTest = intent === "test" || (changes.credentials && input.endpointKind !== "SANDBOX" && !saveAnyway);
    if (mustTest) {
      const account = await accountFromSettings(user.organizationId, input);
      if (!account) return { message: "These settings do not describe a usable account yet.", data: { tested: "failed" } };
      const result = await testConnection(account);
      if (result.outcome !== "connected") {
        const reason = result.message;
        return intent === "test"
          ? { message: reason, data: { tested: "failed" } }
          : { message: `Not saved: ${reason}`, data: { tested: "failed", offerSaveAnyway: true } };
      }
      if (intent === "test") {
        // A passing test of the saved settings lifts a pause caused by refused credentials.
        if (!changes.credentials) {
          await resumeOrganizationQueue(prisma, user.organizationId);
          pokeInProcessWorker();
          revalidatePath("/", "layout");
        }
        return {
          ok: true,
          message: `Connected: ${account.url} accepted the credentials of “${account.username}” (${Math.round(result.durationMs)} ms).${changes.credentials ? " Save to use them." : ""}`,
          data: { tested: "ok" },
        };
      }
    }

    const saved = await saveRedirectionSettings(user, input);
    if (!saved.ok) return saved;
    reloadAccountInProcessWorker(user.organizationId);
    revalidatePath("/", "layout");
    return {
      ok: true,
      message: saved.requeued > 0 ? `Saved. All ${saved.requeued} phones are queued for the new service.` : "Saved.",
      values: {},
    };
  },
);
