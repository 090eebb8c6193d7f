// Runs once when the portal's server starts: the client-address header, the built-in sandbox, the
// in-process sync worker and the graceful shutdown (SIGTERM: readiness 503, drain, release leases).
export async function register() {
  if (process.env.NEXT_RUNTIME !== "nodejs") return;
  const { registerNode } = await import("./lib/instrumentation-node");
  await registerNode();
}
