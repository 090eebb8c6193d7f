import "server-only";
import { prisma } from "../db";
import { checkPhone, getPhoneRedirection } from "../redirection/client";
import { accountForOrganization, recordUserCall } from "../redirection/org-account";
import { effectiveUrl } from "../sync/outbox";
import type { Actor } from "./common";
import { provisioningUrlRedactor, serviceAccountRedactor } from "./need-to-know";

/**
 * What Check redirection found. `recordedSynced`: our record said the phone is synced (registered
 * with the expected URL) when the check ran, so a missing registration or another URL at the service
 * contradicts it (someone changed it there) and the page offers "Send again".
 */
export type RedirectionCheck =
  | {
      kind: "registered";
      ours: boolean;
      company: string;
      url: string;
      expectedUrl: string | null;
      matches: boolean;
      recordedSynced: boolean;
    }
  | { kind: "not_registered"; expectedUrl: string | null; recordedSynced: boolean }
  | { kind: "owned_elsewhere"; company: string | null }
  | { kind: "error"; message: string };

/**
 * Ask the service where this phone is redirected, and compare with what the portal expects. Both
 * URLs are masked for roles without `phones:configure` (provisioningUrlRedactor).
 */
export async function checkPhoneRedirection(actor: Actor, phoneId: string): Promise<RedirectionCheck | null> {
  const phone = await prisma.phone.findFirst({
    where: { id: phoneId, organizationId: actor.organizationId },
    select: {
      id: true,
      mac: true,
      urlOverride: true,
      syncStatus: true,
      customer: { select: { urlTemplate: true } },
      organization: { select: { urlTemplate: true } },
    },
  });
  if (!phone) return null;
  const expectedUrl = effectiveUrl(phone.urlOverride, phone.customer.urlTemplate, phone.organization.urlTemplate);
  const recordedSynced = phone.syncStatus === "synced";
  const account = await accountForOrganization(actor.organizationId);
  if (!account) return { kind: "error", message: "No redirection account is configured for your organization." };

  const [redirection, ownership] = await Promise.all([getPhoneRedirection(account, phone.mac), checkPhone(account, phone.mac)]);
  await recordUserCall(actor, phone, "getPhoneRedirection", redirection);
  await recordUserCall(actor, phone, "checkPhone", ownership);

  // URLs (the service's and ours) masked for roles without phones:configure; compared unmasked.
  const mask = await provisioningUrlRedactor(actor);
  if (redirection.kind === "ok") {
    const ours = ownership.kind === "ok";
    if (!ours && ownership.kind === "owned_by_other_user") {
      return { kind: "owned_elsewhere", company: redirection.data.company || null };
    }
    return {
      kind: "registered",
      ours,
      company: redirection.data.company,
      url: mask(redirection.data.url) ?? "",
      expectedUrl: mask(expectedUrl),
      matches: redirection.data.url === expectedUrl,
      recordedSynced,
    };
  }
  if (redirection.kind === "no_such_mac") return { kind: "not_registered", expectedUrl: mask(expectedUrl), recordedSynced };
  if (redirection.kind === "owned_by_other_user") return { kind: "owned_elsewhere", company: null };
  // Network and protocol texts can name the endpoint (host, URL): hidden from those without need to know.
  const detail = mask((await serviceAccountRedactor(actor))(redirection.message));
  const reasons: Record<string, string> = {
    auth_failed: "The service refused the organization's credentials.",
    transient: `The service is not reachable right now (${detail}).`,
    malformed_mac: "The service says this MAC is malformed.",
  };
  return { kind: "error", message: reasons[redirection.kind] ?? `Unexpected answer: ${detail}` };
}
