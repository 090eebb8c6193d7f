// Failures of a connection test, said the way an admin can act on them.
import type { RdsFailure } from "./types";

export function explainConnectionFailure(result: RdsFailure): string {
  const m = result.message;
  const status = result.raw.status;
  if (result.kind === "auth_failed") return "Wrong credentials: the service refused the username or password.";
  // The client's own messages for these are already plain and bounded (address-guard.ts, client.ts).
  if (result.reason === "private_address" || result.reason === "wrong_scheme" || result.reason === "credentials_in_url") return m;
  if (result.reason === "html_page") {
    return `The endpoint answered with a web page, not XML-RPC (${result.raw.excerpt}): it may be a login page or a proxy; check the endpoint URL.`;
  }
  if (result.reason === "redirect") return `${m}: enter the final endpoint URL.`;
  if (result.reason === "too_large") return "The endpoint sent a reply far larger than the service's (over 64 KiB): it is not a snom redirection service.";
  if (/ENOTFOUND|EAI_AGAIN/.test(m)) return "Host name not found: check the spelling of the endpoint URL (and this server's DNS).";
  if (/ECONNREFUSED/.test(m)) return "Connection refused: nothing answers on that host and port (check the port; snom uses 8083).";
  if (/Timed out/.test(m)) return `No answer in time (${m.replace(/^Timed out after /, "")}): a firewall may block the port, or the service is down.`;
  if (/EHOSTUNREACH|ENETUNREACH/.test(m)) return "The host is unreachable from this server (network or firewall).";
  if (/TLS verification failed/.test(m)) {
    return "The TLS certificate could not be verified: check the host name, or give the CA certificate in RDS_CA_FILE.";
  }
  if (status && status >= 300 && status < 400) return `The server redirected the call (HTTP ${status}): enter the final endpoint URL.`;
  if (status === 404) return "The endpoint answered 404: check the path; snom's ends with /xmlrpc/ (trailing slash included).";
  if (status && status >= 500) return `The service has a problem right now (HTTP ${status}); try again later.`;
  if (result.kind === "protocol") return `The endpoint answered, but not like snom's redirection service (${m}).`;
  return `Unreachable: ${m}.`;
}
