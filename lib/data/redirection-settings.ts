import "server-only";
import { prisma } from "../db";
import { encryptSecret } from "../crypto";
import { accountFromSettings, credentialsKey, isSavedTarget, type SavedTarget } from "../redirection/org-account";
import { checkEndpointAddress } from "../redirection/address-guard";
import { hasUrlCredentials, URL_CREDENTIALS_MESSAGE } from "../redirection/endpoint-url";
import { testConnection } from "../redirection/test-connection";
import { env } from "../env";
import { enqueuePhoneSync } from "../sync/outbox";
import { resumeOrganizationQueue } from "../sync/worker";
import type { Actor } from "./common";
import { runTransaction } from "./transaction";

export const ENDPOINT_KINDS = ["SRAPS", "SANDBOX", "CUSTOM"] as const;
export type EndpointKind = (typeof ENDPOINT_KINDS)[number];

export type RedirectionSettingsInput = {
  endpointKind: EndpointKind;
  customUrl: string | null;
  username: string | null;
  /** null keeps the stored password. */
  password: string | null;
};

/** What the settings page may show: never the password, only whether one is set. */
export async function getRedirectionSettings(actor: Actor) {
  const org = await prisma.organization.findUniqueOrThrow({
    where: { id: actor.organizationId },
    select: {
      rdsEndpointKind: true,
      rdsCustomUrl: true,
      rdsUsername: true,
      rdsPasswordEnc: true,
      rdsPausedAt: true,
      rdsPausedReason: true,
    },
  });
  const { rdsPasswordEnc, ...rest } = org;
  return { ...rest, hasPassword: !!rdsPasswordEnc };
}

export type SaveResult = { ok: true; requeued: number } | { ok: false; message: string; fieldErrors: Record<string, string[]> };

type Current = Awaited<ReturnType<typeof getRedirectionSettings>>;

export const RETYPE_PASSWORD = "Type the password again: it is only sent to the service it was saved for.";

/** What the form is missing for the chosen endpoint, or null when it is complete. */
export function missingSettings(
  current: Pick<Current, "hasPassword"> & SavedTarget,
  input: RedirectionSettingsInput,
): { message: string; fieldErrors: Record<string, string[]> } | null {
  if (input.endpointKind === "SANDBOX") return null;
  if (!input.username) {
    return { message: "Enter the XML-RPC username snom gave you.", fieldErrors: { username: ["Enter the XML-RPC username."] } };
  }
  if (!input.password && !current.hasPassword) {
    return { message: "Enter the XML-RPC password.", fieldErrors: { password: ["Enter the XML-RPC password."] } };
  }
  if (!input.password && !isSavedTarget(current, input)) {
    return { message: RETYPE_PASSWORD, fieldErrors: { password: [RETYPE_PASSWORD] } };
  }
  return null;
}

/** Which parts of the saved settings the input changes. */
export function settingsChanges(current: Current, input: RedirectionSettingsInput) {
  const endpoint =
    current.rdsEndpointKind !== input.endpointKind ||
    (input.endpointKind === "CUSTOM" && current.rdsCustomUrl !== input.customUrl);
  const credentials = endpoint || (input.endpointKind !== "SANDBOX" && (current.rdsUsername !== input.username || !!input.password));
  return { endpoint, credentials };
}

export async function saveRedirectionSettings(actor: Actor, input: RedirectionSettingsInput): Promise<SaveResult> {
  const current = await getRedirectionSettings(actor);
  const missing = missingSettings(current, input);
  if (missing) return { ok: false, ...missing };
  const { endpoint: endpointChanged, credentials: credentialsChanged } = settingsChanges(current, input);

  const result = await runTransaction(async (tx) => {
    await tx.organization.update({
      where: { id: actor.organizationId },
      data: {
        rdsEndpointKind: input.endpointKind,
        rdsCustomUrl: input.endpointKind === "CUSTOM" ? input.customUrl : null,
        rdsUsername: input.username,
        ...(input.password ? { rdsPasswordEnc: encryptSecret(input.password, credentialsKey()) } : {}),
      },
    });
    let requeued = 0;
    if (endpointChanged) {
      // Another service knows nothing of our phones: register every one of them there.
      // Nothing is registered at the new service yet.
      await tx.phone.updateMany({ where: { organizationId: actor.organizationId }, data: { registeredUrl: null } });
      const phones = await tx.phone.findMany({ where: { organizationId: actor.organizationId, deletedAt: null }, select: { id: true } });
      await enqueuePhoneSync(tx, actor.organizationId, phones.map((p) => p.id));
      requeued = phones.length;
    }
    return { ok: true as const, requeued };
  });
  // New credentials deserve a new try: lift a pause caused by the old ones.
  if (credentialsChanged) await resumeOrganizationQueue(prisma, actor.organizationId);
  return result;
}

export type SettingsOutcome = {
  ok?: boolean;
  message: string;
  fieldErrors?: Record<string, string[]>;
  data?: Record<string, unknown>;
  saved?: boolean;
  resumed?: boolean;
};

export type SettingsRequest = { intent: "test" | "save"; saveAnyway?: "yes"; input: RedirectionSettingsInput };

/**
 * One form, two buttons. "Test connection" checks the settings as typed, before anything is saved.
 * "Save" tests new endpoints or credentials first: a typo must not re-queue every phone against a
 * service that refuses them (unless the admin ticks "save anyway", e.g. during maintenance).
 * The stored password is only ever sent to the kind, URL and username it was saved for.
 *
 * Returns what the form shows (`message`, `fieldErrors`, `data.tested` "ok" | "failed",
 * `data.offerSaveAnyway`), plus `saved` (settings written: reload the worker's account) and
 * `resumed` (a paused queue was lifted: wake the worker). Never throws for bad input.
 */
export async function testOrSaveRedirectionSettings(
  actor: Actor,
  { intent, saveAnyway, input }: SettingsRequest,
): Promise<SettingsOutcome> {
  const current = await getRedirectionSettings(actor);
  const missing = missingSettings(current, input);
  if (missing) return missing;
  const changes = settingsChanges(current, input);
  if (input.endpointKind === "CUSTOM" && input.customUrl && hasUrlCredentials(input.customUrl)) {
    // Never stored, called or echoed: the message does not repeat the URL.
    return { message: URL_CREDENTIALS_MESSAGE, fieldErrors: { customUrl: [URL_CREDENTIALS_MESSAGE] }, data: { tested: "failed" } };
  }
  if (input.endpointKind === "CUSTOM" && input.customUrl) {
    // Checked on every test and save, "save anyway" included; the client checks again on every call
    // (at connect time, against DNS rebinding).
    const address = await checkEndpointAddress(input.customUrl, { allowPrivate: env.ALLOW_PRIVATE_ENDPOINTS });
    if (!address.ok) return { message: address.message, fieldErrors: { customUrl: [address.message] }, data: { tested: "failed" } };
  }

  const mustTest = intent === "test" || (changes.credentials && input.endpointKind !== "SANDBOX" && !saveAnyway);
  if (mustTest) {
    const account = await accountFromSettings(actor.organizationId, input);
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
      const resumed = !changes.credentials;
      if (resumed) await resumeOrganizationQueue(prisma, actor.organizationId);
      return {
        ok: true,
        message: `Connected: ${account.url} accepted the credentials of “${account.username}” (${Math.round(result.durationMs)} ms).${changes.credentials ? " Save to use them." : ""}`,
        data: { tested: "ok" },
        resumed,
      };
    }
  }

  const saved = await saveRedirectionSettings(actor, input);
  if (!saved.ok) return saved;
  return {
    ok: true,
    message:
      saved.requeued === 1
        ? "Saved. The phone is queued for the new service."
        : saved.requeued > 0
          ? `Saved. All ${saved.requeued} phones are queued for the new service.`
          : "Saved.",
    saved: true,
  };
}
