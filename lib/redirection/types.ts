// The contract between the portal and snom's redirection service (../shared/docs/redirection-api.md).
// Every call returns an outcome; nothing throws for an answer the service (or the network) gives.

export const SRAPS_URL = "https://secure-provisioning.snom.com:8083/xmlrpc/";

export type RdsAccount = {
  /** Endpoint exactly as configured (the trailing slash is mandatory and kept). */
  url: string;
  username: string;
  password: string;
  /** Per-call timeout, default 15 s. */
  timeoutMs?: number;
  /** Extra CA certificate (PEM) trusted in addition to the system ones. */
  ca?: string;
  /**
   * May the calls reach loopback/private/other non-public addresses? Set to true only by the
   * account resolvers for the built-in sandbox (lib/sync/account.ts, lib/redirection/org-account.ts),
   * never from a user's input. Undefined: the operator's ALLOW_PRIVATE_ENDPOINTS decides.
   */
  allowPrivateAddresses?: boolean;
};

export type RawReply = {
  /** HTTP status when a response arrived. */
  status?: number;
  /** First part of the body (or the error text when no body arrived). */
  excerpt: string;
  /** `Retry-After` of a 429/503 reply, in ms (delta-seconds or HTTP date), capped at one hour. */
  retryAfterMs?: number;
};

export type FailureKind =
  | "owned_by_other_user"
  | "malformed_mac"
  | "malformed_url"
  | "no_such_mac"
  | "auth_failed"
  | "transient"
  | "protocol";

export type OutcomeKind = "ok" | FailureKind;

export type RdsOk<T> = { kind: "ok"; data: T; raw: RawReply; durationMs: number };
/**
 * What exactly went wrong, when the client knows it better than `kind` says (connection tests and
 * explanations use it; the worker only looks at `kind`).
 */
export type FailureReason =
  | "private_address"
  | "redirect"
  | "html_page"
  | "not_xmlrpc"
  | "too_large"
  | "not_utf8"
  | "fault"
  | "timeout"
  | "tls"
  | "not_found"
  | "invalid_url"
  /** `user:password@` in the endpoint URL: refused before any call. */
  | "credentials_in_url"
  /** http:// to a port that speaks TLS, or https:// to one that speaks plain HTTP. */
  | "wrong_scheme"
  /** The reply names a character set we cannot decode (or is not valid text in it). */
  | "charset";

/**
 * Reasons that are the endpoint's configuration, wrong for every call alike: the worker pauses the
 * organization on them (like refused credentials) instead of retrying each phone.
 */
export const CONFIGURATION_REASONS: readonly FailureReason[] = ["credentials_in_url", "wrong_scheme"];

/** `message` and `raw.excerpt` are bounded and free of control characters (lib/redirection/service-text.ts). */
export type RdsFailure = { kind: FailureKind; message: string; raw: RawReply; durationMs: number; reason?: FailureReason };
export type RdsResult<T> = RdsOk<T> | RdsFailure;

export type PhoneRedirection = { company: string; url: string };

/** Outcomes worth retrying later; everything else is final until the data or credentials change. */
export function isRetryable(kind: OutcomeKind): boolean {
  return kind === "transient";
}
