// Request ids: proxy.ts gives every request one (the incoming X-Request-Id when it looks sane, so a
// reverse proxy's id follows the request; else a fresh one), sets it on the request for handlers
// and on the response, and log lines of the request carry it. Shared by proxy.ts (edge-safe: no Node APIs).

export const REQUEST_ID_HEADER = "x-request-id";
/** What we accept from outside: 1 to 128 of [A-Za-z0-9._-]; anything else is replaced. */
const SANE_REQUEST_ID = /^[A-Za-z0-9._-]{1,128}$/;

/** The incoming id if it is sane, else a fresh random one (a UUID). */
export function requestIdFrom(incoming: string | null | undefined): string {
  return incoming && SANE_REQUEST_ID.test(incoming) ? incoming : crypto.randomUUID();
}
