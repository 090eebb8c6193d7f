// JSON log lines for the start-up scripts (scripts/start.mjs, setup.mjs, migrate.mjs) and for the
// output of the programs they run (`next start`, the Prisma CLI, `next build`), so that with
// LOG_FORMAT=json every line the portal writes is one JSON object a log collector can parse.
// The shape is lib/log.ts's (pino): `level` (a label), `time` (ISO 8601), `pid`, `hostname`, `msg`,
// plus `source` naming the program a wrapped line came from. Plain Node, no dependencies: it runs
// before `npm ci` has installed anything.
import { hostname } from "node:os";

/** Whether this process writes JSON lines: LOG_FORMAT=json, or no LOG_FORMAT and NODE_ENV=production (as lib/log.ts). */
export function wantsJsonLogs(env = process.env) {
  const format = env.LOG_FORMAT?.trim().toLowerCase();
  return format === "json" || (!format && env.NODE_ENV === "production");
}

const HOST = hostname();
// Colors and cursor movement (Next's banner, Prisma's spinner) mean nothing in a JSON field.
const ANSI = /\x1b\[[0-9;?]*[ -/]*[@-~]/g;
/** A wrapped record holds at most this many characters of foreign text (a runaway stack or dump). */
const MAX_MSG_CHARS = 16_000;

/**
 * One JSON line in lib/log.ts's shape.
 * @param {"debug"|"info"|"warn"|"error"|"fatal"} level
 * @param {string} msg
 * @param {Record<string, unknown>} [fields]
 */
export function jsonLine(level, msg, fields = {}) {
  return JSON.stringify({ level, time: new Date().toISOString(), pid: process.pid, hostname: HOST, ...fields, msg });
}

/** Writes one JSON line to stdout (or stderr for warn and above). */
export function writeJson(level, msg, fields = {}) {
  const out = level === "warn" || level === "error" || level === "fatal" ? process.stderr : process.stdout;
  out.write(`${jsonLine(level, msg, fields)}\n`);
}

/** Whether `line` already is one JSON object (our own logger's lines in a child): passed through as it is. */
function isJsonObjectLine(line) {
  if (!line.startsWith("{") || !line.endsWith("}")) return false;
  try {
    const value = JSON.parse(line);
    return typeof value === "object" && value !== null && !Array.isArray(value);
  } catch {
    return false;
  }
}

/**
 * A line that belongs to the record before it: a stack frame (`    at …`, `    ... 3 lines matching`),
 * an indented field of a printed error object (`  digest: '123'`, `  [cause]: …`) or a closing
 * bracket. Those are kept with their message, so a stack trace is one record with the trace in
 * `msg`, not one record per frame. Other indented lines (Next's banner: `   - Local: …`) stand alone.
 */
function isContinuation(line) {
  return /^\s+at\s|^\s+\.\.\.\s|^\s*[}\]]|^\s+[\w$'"[\]]+:\s/.test(line);
}

/**
 * An error Next printed (`⨯ Error: …`, `Error: …`): its message may span unindented lines (a Prisma
 * error's "Invalid `prisma.user.count()` invocation:" and the driver's sentence), which belong to it
 * until a line that starts one of Next's own (▲ ✓ ⨯ ⚠ ○ ƒ -) or the output pauses.
 */
function isErrorStart(firstLine) {
  return /^(⨯|[A-Za-z]*Error\b|\[[A-Za-z]*Error)/.test(firstLine);
}

function startsNextLine(line) {
  return /^\s*(▲|✓|⨯|⚠|○|●|ƒ|- )/.test(line);
}

/** The level of a foreign line: Next marks warnings ⚠ and errors ⨯; otherwise stderr is warn, stdout info. */
function levelOf(firstLine, stream) {
  if (/^\s*⚠/.test(firstLine)) return "warn";
  if (/^\s*(⨯|✗)|\berror\b|^Error\b/i.test(firstLine)) return "error";
  if (/\bwarn(ing)?\b/i.test(firstLine)) return "warn";
  return stream === "stderr" ? "warn" : "info";
}

/**
 * An error `next start` printed for a request (`⨯ Error …` with Next's `digest: '…'` field): the
 * portal's onRequestError (instrumentation.ts) has already logged it as one line with the request's
 * id, the route and the same stack, so Next's copy (no id) is only a duplicate.
 */
export function isRequestErrorRecord(lines) {
  return /^\s*⨯/.test(lines[0]) && lines.some((l) => /(^\s*|\{ )digest: '[^']*'/.test(l));
}

/**
 * A line-wrapper for one output stream of a foreign program: `push(chunk)` with its text as it
 * arrives, `end()` when the stream closed. Each complete line is written as a JSON line to `out`
 * (JSON-object lines unchanged); indented lines join the record before them; a record is written
 * when the next one starts, after `idleMs` without output (default 50 ms), or at the end.
 * `dropRequestErrors`: leave out Next's own copies of request errors (isRequestErrorRecord).
 * @param {{ source: string, stream: "stdout"|"stderr", out?: { write(s: string): unknown }, idleMs?: number, dropRequestErrors?: boolean }} opts
 */
export function createLineWrapper({ source, stream, out = stream === "stderr" ? process.stderr : process.stdout, idleMs = 50, dropRequestErrors = false }) {
  let partial = "";
  /** @type {string[] | null} */
  let record = null;
  let timer = null;
  const flush = () => {
    if (timer) clearTimeout(timer);
    timer = null;
    if (!record) return;
    if (dropRequestErrors && isRequestErrorRecord(record)) {
      record = null;
      return;
    }
    let msg = record.join("\n");
    if (msg.length > MAX_MSG_CHARS) msg = `${msg.slice(0, MAX_MSG_CHARS)}… [${msg.length - MAX_MSG_CHARS} more characters]`;
    out.write(`${jsonLine(levelOf(record[0], stream), msg, { source })}\n`);
    record = null;
  };
  const line = (raw) => {
    const text = raw.replace(ANSI, "").replace(/\r$/, "").replace(/^.*\r/, "");
    if (text.trim() === "") return;
    if (isJsonObjectLine(text.trim())) {
      flush();
      out.write(`${text.trim()}\n`);
    } else if (record && (isContinuation(text) || (isErrorStart(record[0]) && !startsNextLine(text)))) {
      record.push(text);
    } else {
      flush();
      record = [text.trim()];
    }
  };
  return {
    push(chunk) {
      partial += typeof chunk === "string" ? chunk : chunk.toString("utf8");
      const lines = partial.split("\n");
      partial = lines.pop() ?? "";
      // A line without its end yet that is already huge: take it as it is.
      if (partial.length > MAX_MSG_CHARS) {
        lines.push(partial);
        partial = "";
      }
      for (const l of lines) line(l);
      if (timer) clearTimeout(timer);
      timer = setTimeout(flush, idleMs);
      timer.unref?.();
    },
    end() {
      if (partial) line(partial);
      partial = "";
      flush();
    },
  };
}

/** Wraps text a program already finished writing (spawnSync output) into JSON lines on `out`. */
export function writeWrapped(text, { source, stream, out }) {
  const wrapper = createLineWrapper({ source, stream, out });
  wrapper.push(text);
  wrapper.end();
}

/**
 * Pipes a spawned child's stdout and stderr (spawned with `stdio: [..., "pipe", "pipe"]`) through
 * line wrappers to this process's stdout and stderr.
 * @param {import("node:child_process").ChildProcess} child
 * @param {string} source
 * @param {{ dropRequestErrors?: boolean }} [opts]
 */
export function pipeChildAsJson(child, source, opts = {}) {
  for (const stream of /** @type {const} */ (["stdout", "stderr"])) {
    const wrapper = createLineWrapper({ source, stream, ...opts });
    child[stream]?.on("data", (chunk) => wrapper.push(chunk));
    child[stream]?.on("end", () => wrapper.end());
  }
}
