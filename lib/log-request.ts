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

/**
 * The log line of a request that failed (instrumentation.ts `onRequestError`): the request id proxy.ts
 * set, method, path and route, the error's digest (what the user's error page shows) and one short
 * cause in `msg`; the stack in the `err` field (one JSON field, not many lines).
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
