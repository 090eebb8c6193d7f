// The security headers every response carries (set by proxy.ts). Pure: unit-testable, no I/O.

/** 128 random bits, base64: a fresh CSP nonce for one request. */
export function createNonce(): string {
  const bytes = new Uint8Array(16);
  crypto.getRandomValues(bytes);
  return btoa(String.fromCharCode(...bytes));
}

/**
 * The Content-Security-Policy for one response (Next.js guide "Content Security Policy"):
 * scripts only from our origin with this request's nonce ('strict-dynamic' lets Next's nonced
 * loader pull its chunks); `'unsafe-eval'` only in development, where React needs it for error
 * stacks. Inline `style` attributes stay allowed (`style-src-attr`): React renders them (progress
 * bar width) and they cannot run code; `<style>` elements need the nonce. Over https, plain http
 * subresources are upgraded. Nothing may frame the portal (`frame-ancestors 'none'`).
 */
export function contentSecurityPolicy(nonce: string, { isDev = false, isHttps = false } = {}): string {
  return [
    "default-src 'self'",
    `script-src 'self' 'nonce-${nonce}' 'strict-dynamic'${isDev ? " 'unsafe-eval'" : ""}`,
    `style-src 'self' 'nonce-${nonce}'`,
    "style-src-attr 'unsafe-inline'",
    "img-src 'self' data: blob:",
    "font-src 'self'",
    "connect-src 'self'",
    "object-src 'none'",
    "base-uri 'self'",
    "form-action 'self'",
    "frame-ancestors 'none'",
    ...(isHttps ? ["upgrade-insecure-requests"] : []),
  ].join("; ");
}

/** HSTS: one year, subdomains included. Sent only on responses that went out over https. */
export const HSTS_VALUE = "max-age=31536000; includeSubDomains";

/**
 * The headers besides CSP, as name → value: no framing (old browsers ignore frame-ancestors), no
 * MIME sniffing, the origin only as referrer to other sites, no powerful browser features.
 */
export function staticSecurityHeaders(isHttps: boolean): Record<string, string> {
  return {
    "X-Frame-Options": "DENY",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "strict-origin-when-cross-origin",
    "Permissions-Policy":
      "camera=(), microphone=(), geolocation=(), payment=(), usb=(), serial=(), bluetooth=(), hid=()",
    "Cross-Origin-Opener-Policy": "same-origin",
    ...(isHttps ? { "Strict-Transport-Security": HSTS_VALUE } : {}),
  };
}
