// Provisioning and syslog addresses derived from the environment (PUBLIC_URL, SYSLOG_*).
import "server-only";
import { env } from "../env";
import { MAC_PLACEHOLDER } from "../urls";
import { classifyAddress, isIpLiteral } from "../redirection/address-guard";

/** The public base address phones reach the portal at: PUBLIC_URL, else NEXTAUTH_URL, else localhost:3000. */
export function publicBaseUrl(): string {
  return (env.PUBLIC_URL ?? env.NEXTAUTH_URL ?? "http://localhost:3000").replace(/\/+$/, "");
}

/**
 * Why phones out in the world could not reach the provisioning base address, or null when they can
 * (as far as the address shows): localhost, a loopback or a private address, a name without a dot.
 * Shown on the provisioning page so nobody registers hundreds of phones to "localhost".
 */
export function unreachableBaseAddressReason(): string | null {
  const host = new URL(publicBaseUrl()).hostname.replace(/^\[(.*)\]$/, "$1");
  const fix = "Set PUBLIC_URL to the address phones reach the portal at (see the README), then restart the portal.";
  if (!env.PUBLIC_URL && /^localhost$/i.test(host)) return `The provisioning address uses “localhost”: no phone can reach it. ${fix}`;
  if (isIpLiteral(host)) {
    const verdict = classifyAddress(host);
    if (!verdict.public) {
      return `The provisioning address is ${host}, a ${verdict.range} address${verdict.cidr ? ` (${verdict.cidr})` : ""}: only phones in that network can reach it. ${fix}`;
    }
    return null;
  }
  if (/^localhost$/i.test(host) || !host.includes(".")) return `The provisioning address host “${host}” is not a public name: phones outside this network cannot reach it. ${fix}`;
  return null;
}

/**
 * The organization's provisioning URL template, `<base>/prov/<token>/{mac}.xml`, with its HTTP basic
 * credentials in the authority (percent-encoded, so `:` or `@` in a password cannot break the URL;
 * `{mac}` stays verbatim for the phone).
 */
export function provisioningUrlTemplate(token: string, basic?: { username: string; password: string } | null): string {
  const base = new URL(publicBaseUrl());
  const auth = basic ? `${encodeURIComponent(basic.username)}:${encodeURIComponent(basic.password)}@` : "";
  const path = base.pathname.replace(/\/+$/, "");
  return `${base.protocol}//${auth}${base.host}${path}/prov/${token}/${MAC_PLACEHOLDER}.xml`;
}

/** "host:port" written into syslog_server, or null while the syslog receiver is off. */
export function syslogTarget(): string | null {
  if (env.SYSLOG_PORT === 0) return null;
  return env.SYSLOG_PUBLIC_HOST ?? `${new URL(publicBaseUrl()).hostname}:${env.SYSLOG_PORT}`;
}

/** One form for addresses from sockets and headers: IPv4-mapped IPv6 becomes plain IPv4. */
export function normalizeAddress(address: string | null | undefined): string {
  const a = (address ?? "").trim().slice(0, 64);
  return a.startsWith("::ffff:") && a.includes(".") ? a.slice(7) : a || "unknown";
}
