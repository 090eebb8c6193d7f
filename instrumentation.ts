import type { Instrumentation } from "next";

// Runs once when the portal's server starts: the client-address header, the built-in sandbox, the
// in-process sync worker and the graceful shutdown (SIGTERM: readiness 503, drain, release leases).
export async function register() {
  if (process.env.NEXT_RUNTIME !== "nodejs") return;
  const { registerNode } = await import("./lib/instrumentation-node");
  await registerNode();
}

/**
 * Next calls this for every error thrown while serving a request (a page, a route handler, a server
 * action): one JSON log line carrying the request's id (X-Request-Id), the route and the error.
 */
export const onRequestError: Instrumentation.onRequestError = async (error, request, context) => {
  if (process.env.NEXT_RUNTIME !== "nodejs") return;
  const { logRequestError } = await import("./lib/log-request");
  logRequestError(error, request, context);
};
