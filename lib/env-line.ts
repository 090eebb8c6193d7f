// How an unusable environment is reported before the process exits. Apart from lib/env.ts because
// that module's evaluation is what failed: instrumentation-node.ts must still be able to load this.
// No "server-only": the worker script loads it through tsx.

/** LOG_FORMAT as lib/log.ts reads it (json, or none in production), before the environment is known to be valid. */
function wantsJsonLogs(): boolean {
  const format = process.env.LOG_FORMAT?.trim().toLowerCase();
  return format === "json" || (!format && process.env.NODE_ENV === "production");
}

/**
 * The message as it is, or with JSON logs one line in lib/log.ts's shape at level fatal (the logger
 * cannot exist yet: it reads the environment).
 */
export function environmentErrorLine(message: string): string {
  return wantsJsonLogs()
    ? JSON.stringify({ level: "fatal", time: new Date().toISOString(), pid: process.pid, msg: message })
    : message;
}
