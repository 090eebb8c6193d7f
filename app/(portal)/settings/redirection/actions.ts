"use server";
import { revalidatePath } from "next/cache";
import { z } from "zod";
import { formAction, optionalText, type ActionState } from "@/lib/actions/action";
import { ENDPOINT_KINDS, testOrSaveRedirectionSettings } from "@/lib/data/redirection-settings";
import { pokeInProcessWorker, reloadAccountInProcessWorker } from "@/lib/sync/in-process";
import { recordAudit } from "@/lib/audit/record";
import { describeRedirectionAccount } from "@/lib/audit/summary";
import { describeSandbox } from "@/lib/redirection/org-account";
import { hasUrlCredentials, URL_CREDENTIALS_MESSAGE } from "@/lib/redirection/endpoint-url";

const SettingsSchema = z
  .object({
    intent: z.enum(["test", "save"]),
    saveAnyway: z.literal("yes").optional(),
    endpointKind: z.enum(ENDPOINT_KINDS, { message: "Choose where registrations go." }),
    customUrl: optionalText(300),
    username: optionalText(200),
    // Passwords are taken as typed (no trimming); empty keeps the stored one (same service only).
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
    if (d.customUrl && hasUrlCredentials(d.customUrl)) {
      // Before anything else: no other message (nor the values sent back) may show the typed URL.
      ctx.addIssue({ code: "custom", path: ["customUrl"], message: URL_CREDENTIALS_MESSAGE });
    } else if (!parsed || !["http:", "https:"].includes(parsed.protocol)) {
      ctx.addIssue({ code: "custom", path: ["customUrl"], message: "Enter the endpoint as an http:// or https:// URL." });
    } else if (!parsed.pathname.endsWith("/")) {
      ctx.addIssue({
        code: "custom",
        path: ["customUrl"],
        message: "The endpoint must end with a slash, e.g. https://host:8083/xmlrpc/ (the service answers 404 without it).",
      });
    }
  });

/** Test or save the redirection settings (lib/data/redirection-settings testOrSaveRedirectionSettings). */
export const redirectionSettingsAction = formAction(
  "org:manage",
  SettingsSchema,
  async ({ intent, saveAnyway, ...input }, user): Promise<ActionState> => {
    const { saved, resumed, ...state } = await testOrSaveRedirectionSettings(user, { intent, saveAnyway, input });
    const target = { type: "organization", id: user.organizationId };
    if (intent === "test") {
      await recordAudit(user, "redirection.test", target, `${describeRedirectionAccount(input, describeSandbox().label)}: ${state.ok ? "connected" : "failed"}`);
    } else if (saved) {
      await recordAudit(user, "redirection.save", target, `${describeRedirectionAccount(input, describeSandbox().label)}${saveAnyway ? " (saved anyway)" : ""}`);
    }
    if (resumed) pokeInProcessWorker();
    if (saved) reloadAccountInProcessWorker(user.organizationId);
    if (saved || resumed) revalidatePath("/", "layout");
    // `saved` tells the form to start afresh from what is now stored (and forget the typed password).
    return saved ? { ...state, data: { ...state.data, saved: Date.now() } } : state;
  },
);
