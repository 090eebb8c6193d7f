import { describe, expect, it } from "vitest";
import { explainConnectionFailure } from "@/lib/redirection/explain";
import type { FailureKind } from "@/lib/redirection/types";

const failure = (kind: FailureKind, message: string, status?: number) => ({ kind, message, raw: { status, excerpt: "" }, durationMs: 1 });

describe("explainConnectionFailure", () => {
  it.each([
    [failure("auth_failed", "HTTP 401: the service refused the credentials", 401), "Wrong credentials"],
    [failure("transient", "ENOTFOUND: getaddrinfo ENOTFOUND prov.example"), "Host name not found"],
    [failure("transient", "ECONNREFUSED: connect ECONNREFUSED 127.0.0.1:9"), "Connection refused"],
    [failure("transient", "Timed out after 15000 ms"), "No answer in time (15000 ms)"],
    [failure("protocol", "TLS verification failed (SELF_SIGNED_CERT_IN_CHAIN): x"), "RDS_CA_FILE"],
    [failure("protocol", "Unexpected HTTP 307", 307), "redirected the call (HTTP 307)"],
    [failure("protocol", "Unexpected HTTP 404 (check the endpoint URL)", 404), "/xmlrpc/"],
    [failure("transient", "HTTP 503 from the service", 503), "HTTP 503"],
    [failure("protocol", "Reply is not a valid XML-RPC response: x", 200), "not like snom's redirection service"],
  ])("%#: says what to do", (result, expected) => {
    expect(explainConnectionFailure(result)).toContain(expected);
  });
});
