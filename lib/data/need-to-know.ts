import "server-only";
import { prisma } from "../db";
import { hasPermission } from "../auth/roles";
import { isMaskedFormOf, maskProvisioningUrl, MASKED_TOKEN } from "../urls";
import type { Actor } from "./common";

/**
 * Need to know (issue 8, point 11): only those who manage the organization (`org:manage`) see where
 * the redirection service is (its endpoint URL) and as whom the portal signs in (the username).
 * Everyone else learns only whether it works.
 */
export function canSeeServiceAccount(actor: Pick<Actor, "role">): boolean {
  return hasPermission(actor.role, "org:manage");
}

export const HIDDEN = "[redirection service]";

/**
 * A function that hides the organization's endpoint URL, its host and the username in texts that
 * came back from the service or the network (error texts, raw reply excerpts): "connect
 * ECONNREFUSED host:port" names the endpoint too. Identity for those allowed to see them.
 */
export async function serviceAccountRedactor(actor: Actor): Promise<(text: string | null) => string | null> {
  if (canSeeServiceAccount(actor)) return (text) => text;
  const org = await prisma.organization.findUnique({
    where: { id: actor.organizationId },
    select: { rdsEndpointKind: true, rdsCustomUrl: true, rdsUsername: true },
  });
  const needles = new Set<string>();
  if (org?.rdsEndpointKind === "CUSTOM" && org.rdsCustomUrl) {
    needles.add(org.rdsCustomUrl);
    try {
      const url = new URL(org.rdsCustomUrl);
      needles.add(url.origin);
      needles.add(url.host);
      needles.add(url.hostname.replace(/^\[(.*)\]$/, "$1"));
    } catch {
      /* stored URLs are validated; the whole string is hidden anyway */
    }
  }
  if (org?.rdsUsername) needles.add(org.rdsUsername);
  // Longest first, so a URL is hidden whole rather than around its host.
  const ordered = [...needles].filter((n) => n.length > 0).sort((a, b) => b.length - a.length);
  return (text) => {
    if (text === null) return null;
    let out = text;
    for (const needle of ordered) out = out.split(needle).join(HIDDEN);
    return out;
  };
}

/**
 * Whether the actor may see the organization's provisioning URL whole: its token and HTTP basic
 * credentials open `/prov/<token>/<MAC>.xml`, i.e. every line's SIP password, so they go with the
 * right to change those settings (`phones:configure`, docs/decisions/0017-phone-settings-admins-only.md).
 */
export function canSeeProvisioningSecrets(actor: Pick<Actor, "role">): boolean {
  return hasPermission(actor.role, "phones:configure");
}

/**
 * A function that masks provisioning URLs in texts for the actor (`maskProvisioningUrl` in
 * lib/urls.ts: the organization's current token and every URL's `user:password@`): URL overrides,
 * customer and organization templates, registered URLs, history rows, error texts. Identity for
 * those allowed to see them. One read of the organization's token.
 */
export async function provisioningUrlRedactor(actor: Actor): Promise<(text: string | null) => string | null> {
  if (canSeeProvisioningSecrets(actor)) return (text) => text;
  const token = await provisioningTokenOf(actor);
  return (text) => maskProvisioningUrl(text, token);
}

/** The organization's provisioning token, or null while the portal serves no files. */
export async function provisioningTokenOf(actor: Pick<Actor, "organizationId">): Promise<string | null> {
  const org = await prisma.organization.findUnique({ where: { id: actor.organizationId }, select: { provToken: true } });
  return org?.provToken ?? null;
}

export const MASKED_URL_MESSAGE = `The URL contains “${MASKED_TOKEN}”, the hidden part of the portal's provisioning address: leave the field as it was shown, empty it, or type another URL. Only admins see and change that address.`;

/**
 * The URL to store from a form that was pre-filled with the masked `stored` URL: sent back
 * unchanged (the masked form of `stored`), it keeps `stored`; a new URL is taken as typed (already
 * validated by the form's schema); a new URL that still holds MASKED_TOKEN is refused with
 * MASKED_URL_MESSAGE, so the mask never becomes a phone's address. The answer never contains
 * `stored`, so no round trip reveals it. Identity for those who see the URL whole.
 */
export async function resolveSubmittedUrl(
  actor: Actor,
  submitted: string | null,
  stored: string | null,
): Promise<{ ok: true; url: string | null } | { ok: false; message: string }> {
  if (canSeeProvisioningSecrets(actor) || submitted === null) return { ok: true, url: submitted };
  const token = await provisioningTokenOf(actor);
  if (isMaskedFormOf(submitted, stored, token)) return { ok: true, url: stored };
  if (submitted.includes(MASKED_TOKEN)) return { ok: false, message: MASKED_URL_MESSAGE };
  return { ok: true, url: submitted };
}
