// Provisioning and syslog addresses derived from the environment (PUBLIC_URL, SYSLOG_*).
import "server-only";
import { env } from "../env";
import { MAC_PLACEHOLDER } from "../urls";

/** The public base address phones reach the portal at: PUBLIC_URL, else NEXTAUTH_URL, else localhost:3000. */
export function publicBaseUrl(): string {
  return (env.PUBLIC_URL ?? env.NEXTAUTH_URL ?? "http://localhost:3000").replace(/\/+$/, "");
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
