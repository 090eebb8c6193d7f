// How a worker reports a database it cannot reach, or one that fails every claim (issue 14, point 5):
// a worker polls twice a second, and one line per failed poll buries everything else. One error line when the trouble
// starts, then at most one every `everyMs` (default 30 s) with how long and how many claims failed,
// one info line when a query succeeds again. Never a stack trace: the cause is one short sentence.
// No "server-only": the worker script loads it through tsx.
import type { LogFields } from "./writer";
import { isDatabaseUnreachableError } from "../database-unreachable";

/** How often a continuing outage is reported again, ms. */
export const DB_TROUBLE_REPORT_EVERY_MS = 30_000;
const MAX_CAUSE_CHARS = 200;

/**
 * The gist of a database error in one line of at most 200 characters: Prisma wraps driver errors in
 * several lines ("Invalid `prisma.$queryRaw()` invocation: … Message: `Can't reach database server
 * at 127.0.0.1:5432`"); this keeps the driver's sentence.
 */
export function shortCause(error: unknown): string {
  const text = error instanceof Error ? error.message : String(error);
  const lines = text
    .split("\n")
    .map((l) => l.trim())
    .filter((l) => l && !/^Invalid `.*` invocation:?$/.test(l));
  let line = lines.at(-1) ?? "unknown error";
  line = line.replace(/^Raw query failed\. Code: `[^`]*`\. Message: `(.*)`$/, "$1");
  return line.length > MAX_CAUSE_CHARS ? `${line.slice(0, MAX_CAUSE_CHARS - 1)}…` : line;
}

/** "45 s", "2 min", "1 h 5 min": a duration as an operator reads it. */
export function formatDuration(ms: number): string {
  const s = Math.round(ms / 1000);
  if (s < 120) return `${s} s`;
  const min = Math.floor(s / 60);
  if (min < 60) return `${min} min`;
  return `${Math.floor(min / 60)} h${min % 60 ? ` ${min % 60} min` : ""}`;
}

export type DbTroubleLog = (line: string, fields?: LogFields) => void;

export type DbTroubleReporter = {
  /**
   * A claim (counted) or another query of the poll (`counted: false`: probes) failed. `what` names
   * the trouble when it is not the database's error (readiness: "migrations pending").
   */
  failed(error: unknown, opts?: { counted?: boolean; what?: string }): void;
  /** A query succeeded: ends the trouble (one line) if there was one. */
  succeeded(): void;
  /** Whether the last query failed. */
  readonly inTrouble: boolean;
};

/**
 * The words of a reporter's lines, for a user other than the worker's poll (the readiness endpoint).
 * Defaults: the worker's ("claims failed", "retrying every poll", level error, no prefix).
 */
export type DbTroubleWords = {
  /** Before every trouble line ("not ready: "). */
  prefix?: string;
  /** Before the line that ends the trouble ("ready again: "). */
  endPrefix?: string;
  /** What the count counts ("claims failed", "readiness checks answered 503"). */
  counted?: string;
  /** How it goes on ("retrying every poll"). */
  retrying?: string;
  level?: "error" | "warn";
};

export function createDbTroubleReporter(opts: {
  log: DbTroubleLog;
  everyMs?: number;
  now?: () => number;
  words?: DbTroubleWords;
}): DbTroubleReporter {
  const everyMs = opts.everyMs ?? DB_TROUBLE_REPORT_EVERY_MS;
  const now = opts.now ?? Date.now;
  const {
    prefix = "",
    endPrefix = "",
    counted: countedWhat = "claims failed",
    retrying = "retrying every poll",
    level = "error",
  } = opts.words ?? {};
  let trouble: { since: number; reportedAt: number; claimsFailed: number; cause: string; what: string } | null = null;
  return {
    failed(error, { counted = true, what: named } = {}) {
      const cause = shortCause(error);
      const t = now();
      if (!trouble) {
        // A query the database refuses (a missing table, a bug) is not an outage: say which it is.
        const what = named ?? (isDatabaseUnreachableError(error) ? "database unreachable" : "database queries failing");
        trouble = { since: t, reportedAt: t, claimsFailed: counted ? 1 : 0, cause, what };
        opts.log(`${prefix}${what}: ${cause} (${retrying}; next report in ${formatDuration(everyMs)})`, { level });
        return;
      }
      if (counted) trouble.claimsFailed++;
      trouble.cause = cause;
      if (t - trouble.reportedAt >= everyMs) {
        trouble.reportedAt = t;
        opts.log(
          `${prefix}${trouble.what} for ${formatDuration(t - trouble.since)}, ${trouble.claimsFailed} ${countedWhat}: ${cause}`,
          { level },
        );
      }
    },
    succeeded() {
      if (!trouble) return;
      const t = now();
      const over =
        trouble.what === "database unreachable"
          ? "database reachable again"
          : trouble.what === "database queries failing"
            ? "database queries succeed again"
            : `no longer ${trouble.what}`;
      opts.log(`${endPrefix}${over} after ${formatDuration(t - trouble.since)} (${trouble.claimsFailed} ${countedWhat})`, {
        level: "info",
      });
      trouble = null;
    },
    get inTrouble() {
      return trouble !== null;
    },
  };
}
