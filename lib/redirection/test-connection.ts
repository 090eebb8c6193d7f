// "Test connection" for the redirection settings: connected means the endpoint answered a
// well-formed XML-RPC `network.echo` with exactly the random nonce we sent. A login page, a JSON
// API, a 404 or a service that answers "Ok" to everything is named as what it is.
import { randomBytes } from "node:crypto";
import { checkEndpointAddress } from "./address-guard";
import { echo } from "./client";
import { explainConnectionFailure } from "./explain";
import type { RdsAccount } from "./types";
import { env } from "../env";

export type ConnectionTestOutcome =
  | "connected"
  | "not_echo"
  | "auth_failed"
  | "private_address"
  | "html_page"
  | "not_found"
  | "redirect"
  | "tls"
  | "wrong_scheme"
  | "credentials_in_url"
  | "timeout"
  | "unreachable"
  | "service_error"
  | "protocol";

/** `message` is plain language for the settings page; `durationMs` is the echo call's time. */
export type ConnectionTest = { outcome: ConnectionTestOutcome; message: string; durationMs: number };

export const NOT_ECHO_MESSAGE =
  "The service answered, but not with the echo we sent: it may not be a snom redirection service.";

/**
 * Sends `network.echo(<random nonce>)` to the account's endpoint. The endpoint's address is checked
 * first (non-public addresses are refused unless the account or ALLOW_PRIVATE_ENDPOINTS allows them).
 * Never throws for anything the endpoint or the network does.
 */
export async function testConnection(account: RdsAccount): Promise<ConnectionTest> {
  const allowPrivate = account.allowPrivateAddresses ?? env.ALLOW_PRIVATE_ENDPOINTS;
  const address = await checkEndpointAddress(account.url, { allowPrivate });
  if (!address.ok) return { outcome: "private_address", message: address.message, durationMs: 0 };

  const nonce = `portal-check-${randomBytes(12).toString("hex")}`;
  const result = await echo(account, nonce);
  const durationMs = Math.round(result.durationMs);
  if (result.kind === "ok") {
    if (result.data === nonce) return { outcome: "connected", message: "Connected.", durationMs };
    return { outcome: "not_echo", message: NOT_ECHO_MESSAGE, durationMs };
  }
  return { outcome: outcomeOf(result), message: explainConnectionFailure(result), durationMs };
}

function outcomeOf(result: Parameters<typeof explainConnectionFailure>[0]): ConnectionTestOutcome {
  if (result.kind === "auth_failed") return "auth_failed";
  switch (result.reason) {
    case "private_address":
    case "html_page":
    case "not_found":
    case "redirect":
    case "tls":
    case "wrong_scheme":
    case "credentials_in_url":
    case "timeout":
      return result.reason;
  }
  if (result.kind === "transient") return result.raw.status ? "service_error" : "unreachable";
  return "protocol";
}
