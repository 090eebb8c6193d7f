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

export async function saveRedirectionSettings(actor: Actor, input: RedirectionSettingsInput): Promise<SaveResult> {
  const current = await getRedirectionSettings(actor);
  const needsCredentials = input.endpointKind !== "SANDBOX";
  if (needsCredentials && !input.username) {
    return { ok: false, message: "Enter the XML-RPC username snom gave you.", fieldErrors: { username: ["Enter the XML-RPC username."] } };
  }
  if (needsCredentials && !input.password && !current.hasPassword) {
    return { ok: false, message: "Enter the XML-RPC password.", fieldErrors: { password: ["Enter the XML-RPC password."] } };
  }
  const endpointChanged =
    current.rdsEndpointKind !== input.endpointKind ||
    (input.endpointKind === "CUSTOM" && current.rdsCustomUrl !== input.customUrl);
  const credentialsChanged = endpointChanged || current.rdsUsername !== input.username || !!input.password;

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
