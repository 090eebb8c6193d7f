// The portal's logger (pino): one JSON object per line (`time`, `level`, `msg`, and `requestId`,
// `organizationId`, `workerId` where known) for a log collector, or one readable line with
// LOG_FORMAT=pretty (what `npm start` uses). No "server-only": the worker script loads it through
// tsx; never import it from a client component.
//
// Secrets never reach a log line: values under keys that name a password, secret, authorization,
// cookie, token or key are replaced, at any depth, before the line is written.
import type { DestinationStream, Logger } from "pino";
import { env } from "./env";
import { buildLogger, logProcessEvents as logProcessEventsTo, type LogFormat } from "./log-core";

export { REDACTED, redactSecrets, type LogFormat, type Logger } from "./log-core";

/**
 * A logger writing to `destination` (default stdout). `format` defaults to LOG_FORMAT, else json in
 * production and pretty elsewhere; `level` to LOG_LEVEL. Pretty output is synchronous and colored
 * only on a terminal.
 */
export function createLogger(
  opts: {
    format?: LogFormat;
    level?: string;
    destination?: DestinationStream;
    bindings?: Record<string, unknown>;
  } = {},
): Logger {
  return buildLogger({
    ...opts,
    format: opts.format ?? env.LOG_FORMAT ?? (env.NODE_ENV === "production" ? "json" : "pretty"),
    level: opts.level ?? env.LOG_LEVEL,
  });
}

const slot = globalThis as unknown as { __portalLogger?: Logger };

/** The process's logger (one per process, also across dev-mode reloads). */
export const logger: Logger = (slot.__portalLogger ??= createLogger());

/**
 * For a script's own process (the worker): Node's warnings and an uncaught exception or rejection
 * become log lines too (one JSON object, the stack in the `err` field) instead of Node's multi-line
 * text on stderr. An uncaught error still ends the process (exit 1), as Node would.
 */
export function logProcessEvents(log: Logger = logger): void {
  logProcessEventsTo(log);
}
