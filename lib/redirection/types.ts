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
export type RdsFailure = { kind: FailureKind; message: string; raw: RawReply; durationMs: number };
export type RdsResult<T> = RdsOk<T> | RdsFailure;

export type PhoneRedirection = { company: string; url: string };

/** Outcomes worth retrying later; everything else is final until the data or credentials change. */
export function isRetryable(kind: OutcomeKind): boolean {
  return kind === "transient";
}
