import "server-only";
import { prisma } from "../db";
import { hasPermission } from "../auth/roles";
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
