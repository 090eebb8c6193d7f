// The client's address, for the sign-in limits, sessions and the audit log.
// Next.js hands route handlers no socket, and fills X-Forwarded-For from the socket only when the
// client did not send one itself, so that header alone could be forged. The server process therefore
// copies the socket address into CLIENT_ADDRESS_HEADER on every request (installClientAddressHeader,
// from instrumentation.ts), replacing whatever a client sent under that name.

/** Request header that carries the socket's address inside the portal's server process. */
export const CLIENT_ADDRESS_HEADER = "x-portal-client-address";

/** Reported when no address is known (e.g. outside a request); shared by everything without one. */
export const UNKNOWN_ADDRESS = "unknown";

type HeaderGetter = (name: string) => string | null | undefined;

/**
 * The client address of a request: with `trustProxy`, the last X-Forwarded-For entry (the one our
 * own proxy appended; earlier entries come from the client); otherwise the socket address.
 * Returns at most 64 characters, or UNKNOWN_ADDRESS.
 */
export function clientAddress(header: HeaderGetter, trustProxy: boolean): string {
  if (trustProxy) {
    const forwarded = header("x-forwarded-for");
    const last = forwarded?.split(",").pop()?.trim();
    if (last) return normalizeAddress(last);
  }
  const socket = header(CLIENT_ADDRESS_HEADER)?.trim();
  return socket ? normalizeAddress(socket) : UNKNOWN_ADDRESS;
}

/** IPv4-mapped IPv6 (`::ffff:1.2.3.4`) as plain IPv4, so one client has one key. */
function normalizeAddress(address: string): string {
  return address.replace(/^::ffff:(\d+\.\d+\.\d+\.\d+)$/i, "$1").slice(0, 64);
}

/** A header getter over next-auth's plain-object headers (`req.headers` in `authorize`). */
export function headerGetterOf(headers: Record<string, unknown> | undefined): HeaderGetter {
  return (name) => {
    const v = headers?.[name] ?? headers?.[name.toLowerCase()];
    return typeof v === "string" ? v : Array.isArray(v) ? String(v[v.length - 1]) : undefined;
  };
}
