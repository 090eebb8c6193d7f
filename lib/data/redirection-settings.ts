import "server-only";
import { prisma } from "../db";
import { encryptSecret } from "../crypto";
import { credentialsKey } from "../redirection/org-account";
import { enqueuePhoneSync } from "../sync/outbox";
import { resumeOrganizationQueue } from "../sync/worker";
import type { Actor } from "./common";

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

/** What the form is missing for the chosen endpoint, or null when it is complete. */
export function missingSettings(
  current: Pick<Current, "hasPassword">,
  input: RedirectionSettingsInput,
): { message: string; fieldErrors: Record<string, string[]> } | null {
  if (input.endpointKind === "SANDBOX") return null;
  if (!input.username) {
    return { message: "Enter the XML-RPC username snom gave you.", fieldErrors: { username: ["Enter the XML-RPC username."] } };
  }
  if (!input.password && !current.hasPassword) {
    return { message: "Enter the XML-RPC password.", fieldErrors: { password: ["Enter the XML-RPC password."] } };
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

  const result = await prisma.$transaction(async (tx) => {
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
