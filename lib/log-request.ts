import "server-only";
import { headers } from "next/headers";
import { REQUEST_ID_HEADER } from "./http/request-id";
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
