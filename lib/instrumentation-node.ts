// What instrumentation.ts runs in the Node.js runtime (kept here so the edge build of
// instrumentation.ts never sees process.exit): the client-address header, the background (built-in
// sandbox, in-process worker, schedulers) and the graceful shutdown.
export async function registerNode(): Promise<void> {
  try {
    const { installClientAddressHeader } = await import("./auth/client-address-hook");
    installClientAddressHeader();
    const { installGracefulShutdown, startPortalBackground } = await import("./background");
    await startPortalBackground();
    installGracefulShutdown();
  } catch (error) {
    // An unusable environment (lib/env.ts) stops the server with its message, not a stack trace.
    if ((error as Error)?.name === "InvalidEnvironmentError") {
      const { environmentErrorLine } = await import("./env-line");
      console.error(environmentErrorLine((error as Error).message));
      process.exit(1);
    }
    throw error;
  }
}
