// Runs once when the portal's server starts: the built-in sandbox and the in-process sync worker.
export async function register() {
  if (process.env.NEXT_RUNTIME !== "nodejs") return;
  const { startPortalBackground } = await import("./lib/background");
  await startPortalBackground();
}
