// The logger's parts that need no portal environment (pino, secret redaction, process events), for
// processes that are not the portal: the simulator runs as its own service (the shared sandbox) and
// must start without the portal's DATABASE_URL or secrets. The portal's own logger is lib/log.ts.
// No "server-only": scripts load it through tsx; never import it from a client component.
//
// Secrets never reach a log line: values under keys that name a password, secret, authorization,
// cookie, token or key are replaced, at any depth, before the line is written.
import { hostname } from "node:os";
import pino, { type DestinationStream, type Logger } from "pino";
import pretty from "pino-pretty";

export type { Logger };

/** Key names whose values are never logged (case-insensitive, anywhere in the key). */
const SECRET_KEY =
  /passw(or)?d|passphrase|^pass$|secret|authori[sz]ation|cookie|token|api[-_]?key|private[-_]?key|credential|^key$|Enc$/i;
export const REDACTED = "[redacted]";
const MAX_DEPTH = 8;

/** A copy of `value` with the values of secret-named keys replaced; bounded depth, cycles cut. */
export function redactSecrets(value: unknown, depth = 0, seen = new WeakSet<object>()): unknown {
  if (value === null || typeof value !== "object") return value;
  if (value instanceof Error) return value;
  if (seen.has(value)) return "[circular]";
  if (depth >= MAX_DEPTH) return "[too deep]";
  seen.add(value);
  if (Array.isArray(value)) return value.map((v) => redactSecrets(v, depth + 1, seen));
  const out: Record<string, unknown> = {};
  for (const [key, v] of Object.entries(value)) {
    out[key] = SECRET_KEY.test(key) ? REDACTED : redactSecrets(v, depth + 1, seen);
  }
  return out;
}

/**
 * Child-logger bindings skip pino's formatters, so common secret names are also redacted by path
 * (top level and one level down) with pino's own redaction.
 */
const REDACT_NAMES = [
  "password",
  "secret",
  "token",
  "sessionToken",
  "authorization",
  "Authorization",
  "cookie",
  "Cookie",
  "rdsPassword",
  "passwordHash",
  "NEXTAUTH_SECRET",
  "PORTAL_SECRET_KEY",
];
const REDACT_PATHS = REDACT_NAMES.flatMap((name) => [name, `*.${name}`]);

export type LogFormat = "json" | "pretty";

/**
 * A logger writing to `destination` (default stdout) in `format` at `level` (pino's level names).
 * Pretty output is synchronous and colored only on a terminal.
 */
export function buildLogger(opts: {
  format: LogFormat;
  level: string;
  destination?: DestinationStream;
  bindings?: Record<string, unknown>;
}): Logger {
  const { format } = opts;
  const stream =
    format === "pretty"
      ? pretty({
          colorize: !opts.destination && !!process.stdout.isTTY,
          translateTime: "SYS:HH:MM:ss",
          ignore: "pid,hostname",
          singleLine: true,
          sync: true,
          ...(opts.destination ? { destination: opts.destination } : {}),
        })
      : (opts.destination ?? pino.destination({ dest: 1, sync: true }));
  return pino(
    {
      level: opts.level,
      base: { pid: process.pid, hostname: hostname(), ...opts.bindings },
      timestamp: pino.stdTimeFunctions.isoTime,
      messageKey: "msg",
      redact: { paths: REDACT_PATHS, censor: REDACTED },
      formatters: {
        level: (label) => ({ level: label }),
        log: (object) => redactSecrets(object) as Record<string, unknown>,
        bindings: (bindings) => redactSecrets(bindings) as Record<string, unknown>,
      },
      serializers: { err: pino.stdSerializers.err },
    },
    stream,
  );
}

const LEVELS = ["fatal", "error", "warn", "info", "debug", "trace", "silent"];

/**
 * LOG_FORMAT and LOG_LEVEL read from the process environment without the portal's other settings
 * (unknown values fall back to the defaults: json in production, else pretty; info).
 */
export function processLogSettings(envVars: NodeJS.ProcessEnv = process.env): { format: LogFormat; level: string } {
  const f = envVars.LOG_FORMAT;
  const format: LogFormat = f === "json" || f === "pretty" ? f : envVars.NODE_ENV === "production" ? "json" : "pretty";
  const level = envVars.LOG_LEVEL && LEVELS.includes(envVars.LOG_LEVEL) ? envVars.LOG_LEVEL : "info";
  return { format, level };
}

/**
 * For a script's own process (the worker): Node's warnings and an uncaught exception or rejection
 * become log lines too (one JSON object, the stack in the `err` field) instead of Node's multi-line
 * text on stderr. An uncaught error still ends the process (exit 1), as Node would.
 */
export function logProcessEvents(log: Logger): void {
  // Node prints warnings through its own listener; without it, ours is the only output.
  process.removeAllListeners("warning");
  process.on("warning", (warning) =>
    log.warn({ warning: { name: warning.name, code: (warning as { code?: string }).code } }, warning.message),
  );
  const fatal = (kind: string) => (error: unknown) => {
    log.fatal({ err: error }, `${kind}: ${error instanceof Error ? error.message : String(error)}`);
    process.exit(1);
  };
  process.on("uncaughtException", fatal("uncaught exception"));
  process.on("unhandledRejection", fatal("unhandled rejection"));
}
