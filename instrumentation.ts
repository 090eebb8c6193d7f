// Runs once when the portal's server starts: the client-address header, the built-in sandbox and
// the in-process sync worker.
export async function register() {
  if (process.env.NEXT_RUNTIME !== "nodejs") return;
  const { installClientAddressHeader } = await import("./lib/auth/client-address-hook");
  installClientAddressHeader();
  const { startPortalBackground } = await import("./lib/background");
  await startPortalBackground();
}
