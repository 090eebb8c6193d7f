// Runs once when the portal's server starts: the client-address header, the built-in sandbox, the
// in-process sync worker and the graceful shutdown (SIGTERM: readiness 503, drain, release leases).
export async function register() {
  if (process.env.NEXT_RUNTIME !== "nodejs") return;
  try {
    const { installClientAddressHeader } = await import("./lib/auth/client-address-hook");
    installClientAddressHeader();
    const { installGracefulShutdown, startPortalBackground } = await import("./lib/background");
    await startPortalBackground();
    installGracefulShutdown();
  } catch (error) {
    // An unusable environment (lib/env.ts) stops the server with its message, not a stack trace.
    if ((error as Error)?.name === "InvalidEnvironmentError") {
      console.error((error as Error).message);
      process.exit(1);
    }
    throw error;
  }
}
