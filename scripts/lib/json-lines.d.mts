// Types of json-lines.mjs (plain Node so it runs before `npm ci`), for the tests that import it.
import type { ChildProcess } from "node:child_process";

export type LogLevel = "debug" | "info" | "warn" | "error" | "fatal";
export function wantsJsonLogs(env?: Record<string, string | undefined>): boolean;
export function jsonLine(level: LogLevel, msg: string, fields?: Record<string, unknown>): string;
export function writeJson(level: LogLevel, msg: string, fields?: Record<string, unknown>): void;
export function createLineWrapper(opts: {
  source: string;
  stream: "stdout" | "stderr";
  out?: { write(s: string): unknown };
  idleMs?: number;
  dropRequestErrors?: boolean;
}): { push(chunk: string | Buffer): void; end(): void };
export function writeWrapped(
  text: string,
  opts: { source: string; stream: "stdout" | "stderr"; out: { write(s: string): unknown } },
): void;
export function isRequestErrorRecord(lines: string[]): boolean;
export function pipeChildAsJson(child: ChildProcess, source: string, opts?: { dropRequestErrors?: boolean }): void;
