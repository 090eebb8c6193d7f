import "server-only";
import { headers } from "next/headers";
import { REQUEST_ID_HEADER, requestIdFrom } from "./http/request-id";
import { shortCause } from "./sync/db-trouble";
import { logger, type Logger } from "./log";

/**
 * The logger for the current request (route handler, server action, page): its lines carry the
 * request id proxy.ts set (echoed to the client as X-Request-Id) and `organizationId` when given.
 */
export async function requestLogger(bindings: { organizationId?: string } = {}): Promise<Logger> {
  let requestId: string | undefined;
  try {
    requestId = (await headers()).get(REQUEST_ID_HEADER) ?? undefined;
  } catch {
    // Outside a request (a background job): no id.
  }
  return logger.child({ ...(requestId ? { requestId } : {}), ...bindings });
}

/** Request errors logged lately (key → time), to log one line per failed request. */
const recentRequestErrors = new Map<string, number>();
const loggedErrors = new WeakSet<object>();
const REPEAT_WINDOW_MS = 10_000;

/**
 * Whether this failure of this request was logged already: Next calls onRequestError more than once
 * for one failed page (the render and the HTML response each report it, with the same request id).
 */
function isRepeatedRequestError(error: unknown, key: string | undefined): boolean {
  if (error !== null && typeof error === "object") {
    if (loggedErrors.has(error)) return true;
    loggedErrors.add(error);
  }
  if (!key) return false;
  const now = Date.now();
  for (const [k, at] of recentRequestErrors) {
    if (now - at < REPEAT_WINDOW_MS) break;
    recentRequestErrors.delete(k);
  }
  if (recentRequestErrors.has(key)) return true;
  recentRequestErrors.set(key, now);
  return false;
}

/**
 * The log line of a request that failed (instrumentation.ts `onRequestError`): the request id proxy.ts
 * set, method, path and route, the error's digest (what the user's error page shows) and one short
 * cause in `msg`; the stack in the `err` field (one JSON field, not many lines). One line per failed
 * request: a repeated report of the same failure is left out.
 */
export function logRequestError(
  error: unknown,
  request: { path: string; method: string; headers: Record<string, string | string[] | undefined> },
  context: { routePath: string; routeType: string },
): void {
  const raw = request.headers[REQUEST_ID_HEADER];
  const incoming = Array.isArray(raw) ? raw[0] : raw;
  // proxy.ts has set a sane one on every request; anything else is not ours to log.
  const requestId = incoming && requestIdFrom(incoming) === incoming ? incoming : undefined;
  // No query string, and never a provisioning token (it opens an organization's settings files).
  const path = request.path.split("?")[0].replace(/^\/prov\/[^/]+/, "/prov/[token]").slice(0, 300);
  const digest = (error as { digest?: unknown })?.digest;
  const message = error instanceof Error ? error.message : String(error);
  // Only a request with an id can be told apart from another failing the same way at the same time.
  const key = requestId ? `${requestId}\n${request.method} ${path}\n${String(digest)}\n${message}` : undefined;
  if (isRepeatedRequestError(error, key)) return;
  logger.error(
    {
      ...(requestId ? { requestId } : {}),
      method: request.method,
      path,
      route: context.routePath,
      routeType: context.routeType,
      ...(typeof digest === "string" ? { digest } : {}),
      err: error,
    },
    `${context.routeType} ${context.routePath} failed: ${shortCause(error)}`,
  );
}
