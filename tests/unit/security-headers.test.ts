import { describe, expect, it } from "vitest";
import { contentSecurityPolicy, createNonce, HSTS_VALUE, staticSecurityHeaders } from "@/lib/http/security-headers";

describe("security headers", () => {
  it("a nonce is 128 random bits, base64, fresh every time", () => {
    const nonces = new Set(Array.from({ length: 100 }, createNonce));
    expect(nonces.size).toBe(100);
    for (const n of nonces) expect(Buffer.from(n, "base64")).toHaveLength(16);
  });

  it("the production CSP allows only nonced scripts, no eval, no framing, no plugins", () => {
    const csp = contentSecurityPolicy("abc123");
    expect(csp).toContain("script-src 'self' 'nonce-abc123' 'strict-dynamic'");
    expect(csp).not.toMatch(/unsafe-eval|script-src[^;]*unsafe-inline/);
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).toContain("object-src 'none'");
    expect(csp).toContain("base-uri 'self'");
    expect(csp).not.toContain("upgrade-insecure-requests");
  });

  it("eval only in development; upgrades and HSTS only over https", () => {
    expect(contentSecurityPolicy("n", { isDev: true })).toContain("'unsafe-eval'");
    expect(contentSecurityPolicy("n", { isHttps: true })).toContain("upgrade-insecure-requests");
    expect(staticSecurityHeaders(false)).not.toHaveProperty("Strict-Transport-Security");
    expect(staticSecurityHeaders(true)["Strict-Transport-Security"]).toBe(HSTS_VALUE);
    expect(staticSecurityHeaders(false)).toMatchObject({
      "X-Frame-Options": "DENY",
      "X-Content-Type-Options": "nosniff",
      "Referrer-Policy": "strict-origin-when-cross-origin",
    });
  });
});
