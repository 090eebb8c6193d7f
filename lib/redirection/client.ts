// Typed client for snom's redirection service (SRAPS/RDS). See docs/decisions/0002-redirection-client.md.
//
// Every function returns an RdsResult: whatever the service or the network answers becomes an
// outcome kind, never an exception. HTTP is done with node:http(s) so we see the real status and
// body; XML-RPC (de)serialisation comes from the xmlrpc package.
//
// Server code only (the sync worker and server actions): never import this from a client component.
import http from "node:http";
import https from "node:https";
import { PassThrough } from "node:stream";
import tls from "node:tls";
import xmlrpc from "xmlrpc";
import Deserializer from "xmlrpc/lib/deserializer.js";
import serializer from "xmlrpc/lib/serializer.js";
import type { FailureKind, PhoneRedirection, RawReply, RdsAccount, RdsResult } from "./types";

export const DEFAULT_TIMEOUT_MS = 15_000;
// Not below SYNC_CONCURRENCY's maximum (64): calls queued inside the agent would look like service
// latency to the worker's adaptive limiter (lib/sync/limiter.ts), which is the politeness limit now.
export const MAX_SOCKETS_PER_AGENT = 64;
const EXCERPT_CHARS = 500;
const MAX_BODY_BYTES = 32 * 1024 * 1024;

// ---------------------------------------------------------------------------------------------
// Public API: one function per service method.

/** `redirect.registerPhone(mac, url)`: registers or re-points a MAC this account owns. */
export async function registerPhone(account: RdsAccount, mac: string, url: string): Promise<RdsResult<true>> {
  return mapReply(await callRds(account, "redirect.registerPhone", [mac, url]), parseStatusReply);
}

/** `redirect.deregisterPhone(mac)`. `no_such_mac` means the MAC is already gone. */
export async function deregisterPhone(account: RdsAccount, mac: string): Promise<RdsResult<true>> {
  return mapReply(await callRds(account, "redirect.deregisterPhone", [mac]), parseStatusReply);
}

/** `redirect.checkPhone(mac)`: ok only when the MAC is registered to this account. */
export async function checkPhone(account: RdsAccount, mac: string): Promise<RdsResult<true>> {
  return mapReply(await callRds(account, "redirect.checkPhone", [mac]), parseStatusReply);
}

/** `redirect.getPhoneRedirection(mac)`: owner company and URL (`""` = not redirected) of any registered MAC. */
export async function getPhoneRedirection(account: RdsAccount, mac: string): Promise<RdsResult<PhoneRedirection>> {
  return mapReply(await callRds(account, "redirect.getPhoneRedirection", [mac]), parseRedirectionReply);
}

/** `redirect.listPhones(phoneType, url?)`: this account's MACs of one model, optionally only those pointing at `url`. */
export async function listPhones(account: RdsAccount, phoneType: string, url?: string): Promise<RdsResult<string[]>> {
  const params = url === undefined ? [phoneType] : [phoneType, url];
  return mapReply(await callRds(account, "redirect.listPhones", params), parseMacListReply);
}

/**
 * `redirect.registerPhoneList(macs, url)` (legacy bulk call). Ok means the service answered
 * `[bool, ...]`; the whole array is returned because per-MAC semantics are undocumented
 * (our simulator answers `[allOk, ...perMacOk]`).
 */
export async function registerPhoneList(
  account: RdsAccount,
  macs: string[],
  url: string,
): Promise<RdsResult<boolean[] | unknown[]>> {
  return mapReply(await callRds(account, "redirect.registerPhoneList", [macs, url]), parseBulkReply);
}

/** `redirect.deregisterPhoneList(macs)` (legacy bulk call); same reply handling as registerPhoneList. */
export async function deregisterPhoneList(account: RdsAccount, macs: string[]): Promise<RdsResult<boolean[] | unknown[]>> {
  return mapReply(await callRds(account, "redirect.deregisterPhoneList", [macs]), parseBulkReply);
}

/** `network.echo(text)`: the credentials check (there is no login method). Any non-error reply is ok. */
export async function echo(account: RdsAccount, text: string): Promise<RdsResult<unknown>> {
  return mapReply(await callRds(account, "network.echo", [text]), parseEchoReply);
}

// ---------------------------------------------------------------------------------------------
// Transport: one XML-RPC call, classified into "got a value" or a failure.

/** A call that reached the XML-RPC layer: `value` is the decoded reply. */
export type RpcReply = { kind: "reply"; value: unknown; raw: RawReply; durationMs: number };

/** Low-level call: any method, reply undecoded beyond XML-RPC. Never throws. */
export async function callRds(
  account: RdsAccount,
  method: string,
  params: unknown[],
): Promise<RpcReply | (RdsResult<never> & { kind: FailureKind })> {
  const started = performance.now();
  const elapsed = () => Math.round(performance.now() - started);

  let target: URL;
  try {
    target = new URL(account.url);
  } catch {
    return failure("protocol", `Invalid service URL: ${account.url}`, { excerpt: account.url }, elapsed());
  }
  if (target.protocol !== "http:" && target.protocol !== "https:") {
    return failure("protocol", `Unsupported URL scheme ${target.protocol}`, { excerpt: account.url }, elapsed());
  }

  const body = Buffer.from(serializer.serializeMethodCall(method, params.map(toWire)), "utf8");
  // Node's recommended pattern for keep-alive: a request that fails on a reused socket the server
  // had already closed never reached the application, so it is retried once on a fresh socket.
  let attempt = await sendOnce(account, target, body);
  if (attempt.kind === "network" && attempt.reusedSocket && attempt.code === "ECONNRESET") {
    attempt = await sendOnce(account, target, body);
  }

  const durationMs = elapsed();
  if (attempt.kind === "timeout") {
    return failure("transient", `Timed out after ${attempt.timeoutMs} ms`, { excerpt: attempt.message }, durationMs);
  }
  if (attempt.kind === "network") {
    return failure(classifyNetworkError(attempt.code, attempt.message), describeNetworkError(attempt), {
      excerpt: attempt.message,
    }, durationMs);
  }

  const raw: RawReply = { status: attempt.status, excerpt: attempt.body.slice(0, EXCERPT_CHARS) };
  const status = attempt.status;
  if (status === 401 || status === 403) {
    return failure("auth_failed", `HTTP ${status}: the service refused the credentials`, raw, durationMs);
  }
  if (status === 429 || status === 408 || (status >= 500 && status <= 599)) {
    const retryAfterMs = parseRetryAfter(attempt.retryAfter);
    return failure("transient", `HTTP ${status} from the service`, retryAfterMs === undefined ? raw : { ...raw, retryAfterMs }, durationMs);
  }
  if (status !== 200) {
    const hint = status === 404 ? " (check the endpoint URL, including its trailing slash)" : "";
    return failure("protocol", `Unexpected HTTP ${status}${hint}`, raw, durationMs);
  }

  const decoded = await decodeMethodResponse(attempt.body);
  if (decoded.kind === "fault") {
    return failure("protocol", `XML-RPC fault ${decoded.code}: ${decoded.message}`, raw, durationMs);
  }
  if (decoded.kind === "invalid") {
    return failure("protocol", `Reply is not a valid XML-RPC response: ${decoded.message}`, raw, durationMs);
  }
  return { kind: "reply", value: decoded.value, raw, durationMs };
}

type Attempt =
  | { kind: "response"; status: number; body: string; retryAfter?: string }
  | { kind: "timeout"; timeoutMs: number; message: string }
  | { kind: "network"; code: string | undefined; message: string; reusedSocket: boolean };

function sendOnce(account: RdsAccount, target: URL, body: Buffer): Promise<Attempt> {
  const timeoutMs = account.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const signal = AbortSignal.timeout(timeoutMs);
  const secure = target.protocol === "https:";
  const request = secure ? https.request : http.request;

  return new Promise<Attempt>((resolve) => {
    let settled = false;
    const settle = (a: Attempt) => {
      if (settled) return;
      settled = true;
      signal.removeEventListener("abort", onAbort);
      resolve(a);
    };
    const onAbort = () => {
      settle({ kind: "timeout", timeoutMs, message: `no complete answer within ${timeoutMs} ms` });
      req.destroy();
    };

    const req = request(
      {
        protocol: target.protocol,
        hostname: target.hostname.replace(/^\[(.*)\]$/, "$1"),
        port: target.port || (secure ? 443 : 80),
        // Endpoint used verbatim: the trailing slash is mandatory at snom.
        path: target.pathname + target.search,
        method: "POST",
        agent: agentFor(secure, account.ca),
        headers: {
          "Content-Type": "text/xml",
          "Content-Length": body.length,
          Accept: "text/xml",
          "User-Agent": "redirection-portal",
          Authorization: basicAuthorization(account.username, account.password),
        },
      },
      (res) => {
        const chunks: Buffer[] = [];
        let size = 0;
        res.on("data", (chunk: Buffer) => {
          size += chunk.length;
          if (size > MAX_BODY_BYTES) {
            settle({ kind: "network", code: "EBODYTOOLARGE", message: "reply larger than 32 MiB", reusedSocket: false });
            req.destroy();
            return;
          }
          chunks.push(chunk);
        });
        res.on("end", () =>
          settle({
            kind: "response",
            status: res.statusCode ?? 0,
            body: Buffer.concat(chunks).toString("utf8"),
            retryAfter: typeof res.headers["retry-after"] === "string" ? res.headers["retry-after"] : undefined,
          }),
        );
        res.on("error", (err: NodeJS.ErrnoException) =>
          settle({ kind: "network", code: err.code, message: err.message, reusedSocket: false }),
        );
        res.on("aborted", () =>
          settle({ kind: "network", code: "ECONNRESET", message: "connection closed mid-reply", reusedSocket: false }),
        );
      },
    );
    if (signal.aborted) return onAbort();
    signal.addEventListener("abort", onAbort);
    req.on("error", (err: NodeJS.ErrnoException) =>
      settle({ kind: "network", code: err.code, message: err.message, reusedSocket: req.reusedSocket }),
    );
    req.end(body);
  });
}

/**
 * xmlrpc wraps strings containing `&` or `<` in CDATA. Valid XML, but the service is documented
 * with plain, XML-escaped text (`{mac}`, `&` in provisioning URLs), so we send exactly that.
 */
class EscapedString extends xmlrpc.CustomType {
  tagName = "string";
}

function toWire(value: unknown): unknown {
  if (typeof value === "string") return new EscapedString(value);
  if (Array.isArray(value)) return value.map(toWire);
  return value;
}

/** RFC 7617 with UTF-8: the header is built here because the credentials may contain `:`, `@`, `%` or non-ASCII. */
export function basicAuthorization(username: string, password: string): string {
  return "Basic " + Buffer.from(`${username}:${password}`, "utf8").toString("base64");
}

const agents = new Map<string, http.Agent>();

/**
 * Keep-alive agents shared across calls, one per (protocol, extra CA), and so across organizations.
 * That is safe because nothing per-tenant rides on a pooled socket: credentials go in each
 * request's own Authorization header (Basic auth is stateless: the service keeps no login or
 * cookie per connection), no client certificate is used, and the extra CA is deployment-wide
 * (RDS_CA_FILE), never an organization's. The per-host socket cap is a politeness limit towards a
 * remote endpoint, not a credential boundary.
 */
function agentFor(secure: boolean, ca: string | undefined): http.Agent {
  const key = `${secure ? "https" : "http"}\u0000${secure ? (ca ?? "") : ""}`;
  let agent = agents.get(key);
  if (!agent) {
    const base = { keepAlive: true, maxSockets: MAX_SOCKETS_PER_AGENT, maxFreeSockets: MAX_SOCKETS_PER_AGENT };
    agent = secure
      ? new https.Agent({
          ...base,
          rejectUnauthorized: true,
          // An extra CA is added to, not substituted for, the system roots.
          ...(ca ? { ca: [...tls.rootCertificates, ca] } : {}),
        })
      : new http.Agent(base);
    agents.set(key, agent);
  }
  return agent;
}

/** Closes the pooled sockets (tests, worker shutdown). Later calls create new agents. */
export function closeAgents(): void {
  for (const agent of agents.values()) agent.destroy();
  agents.clear();
}

const TRANSIENT_CODES = new Set([
  "ECONNREFUSED",
  "ECONNRESET",
  "EPIPE",
  "ETIMEDOUT",
  "ECONNABORTED",
  "EHOSTUNREACH",
  "ENETUNREACH",
  "EHOSTDOWN",
  "ENETDOWN",
  "ENOTFOUND",
  "EAI_AGAIN",
  "UND_ERR_SOCKET",
]);

function classifyNetworkError(code: string | undefined, message: string): FailureKind {
  if (code && TRANSIENT_CODES.has(code)) return "transient";
  if (/socket hang up/i.test(message)) return "transient";
  // TLS verification failures and oversized replies are configuration/protocol problems: retrying
  // does not fix them, a person has to.
  if (code === "EBODYTOOLARGE" || isTlsVerificationError(code)) return "protocol";
  return code ? "transient" : "protocol";
}

function isTlsVerificationError(code: string | undefined): boolean {
  return /CERT|SELF_SIGNED|UNABLE_TO_|ISSUER|ERR_TLS|ERR_SSL|HOSTNAME_MISMATCH/.test(code ?? "");
}

function describeNetworkError(a: { code: string | undefined; message: string }): string {
  if (isTlsVerificationError(a.code)) return `TLS verification failed (${a.code}): ${a.message}`;
  return a.code ? `${a.code}: ${a.message}` : a.message;
}

type Decoded =
  | { kind: "value"; value: unknown }
  | { kind: "fault"; code: unknown; message: string }
  | { kind: "invalid"; message: string };

function decodeMethodResponse(body: string): Promise<Decoded> {
  return new Promise<Decoded>((resolve) => {
    let settled = false;
    const stream = new PassThrough();
    try {
      new Deserializer().deserializeMethodResponse(stream, (error, value) => {
        if (settled) return;
        settled = true;
        if (!error) return resolve({ kind: "value", value });
        const err = error as { faultCode?: unknown; faultString?: unknown; message?: unknown };
        if (err.faultCode !== undefined) {
          return resolve({ kind: "fault", code: err.faultCode, message: String(err.faultString ?? "") });
        }
        resolve({ kind: "invalid", message: String(err.message ?? error) });
      });
      stream.end(body, "utf8");
    } catch (error) {
      if (!settled) {
        settled = true;
        resolve({ kind: "invalid", message: String((error as Error)?.message ?? error) });
      }
    }
  });
}

// ---------------------------------------------------------------------------------------------
// Reply shapes.

type Parsed<T> = { ok: true; data: T } | { ok: false; kind: FailureKind; message: string };

function mapReply<T>(
  reply: Awaited<ReturnType<typeof callRds>>,
  parse: (value: unknown) => Parsed<T>,
): RdsResult<T> {
  if (reply.kind !== "reply") return reply;
  const parsed = parse(reply.value);
  if (parsed.ok) return { kind: "ok", data: parsed.data, raw: reply.raw, durationMs: reply.durationMs };
  return { kind: parsed.kind, message: parsed.message, raw: reply.raw, durationMs: reply.durationMs };
}

const MAX_RETRY_AFTER_MS = 60 * 60_000;

/** RFC 9110 `Retry-After`: delta-seconds or an HTTP date; undefined when absent or unreadable, capped at an hour. */
export function parseRetryAfter(value: string | undefined, now = Date.now()): number | undefined {
  const text = value?.trim();
  if (!text || text.length > 64) return undefined;
  const ms = /^\d+$/.test(text) ? Number(text) * 1000 : Date.parse(text) - now;
  if (!Number.isFinite(ms)) return undefined;
  return Math.min(MAX_RETRY_AFTER_MS, Math.max(0, ms));
}

function failure(kind: FailureKind, message: string, raw: RawReply, durationMs: number) {
  return { kind, message, raw, durationMs };
}

const SERVICE_ERRORS = ["owned_by_other_user", "malformed_mac", "malformed_url", "no_such_mac"] as const;

/** `[false, "Error:xyz"]` -> its failure kind; "Error:" prefix optional, case-insensitive. */
function parseErrorReply(value: unknown[]): Parsed<never> {
  const text = value[1];
  if (typeof text !== "string") return unexpected(value);
  const code = text.trim().replace(/^error\s*:\s*/i, "").toLowerCase();
  const known = SERVICE_ERRORS.find((e) => e === code);
  if (known) return { ok: false, kind: known, message: text };
  return { ok: false, kind: "protocol", message: `Unknown service error: ${text}` };
}

function isErrorReply(value: unknown): value is [false, ...unknown[]] {
  return Array.isArray(value) && value.length >= 2 && value[0] === false && typeof value[1] === "string";
}

/**
 * `[true, "Ok"]`. The boolean is the truth and the text a diagnostic (API notes), so `[true, <any
 * text>]` is ok; `[true]`, non-arrays and non-boolean heads are protocol errors.
 */
function parseStatusReply(value: unknown): Parsed<true> {
  if (isErrorReply(value)) return parseErrorReply(value);
  if (Array.isArray(value) && value.length >= 2 && value[0] === true && typeof value[1] === "string") {
    return { ok: true, data: true };
  }
  return unexpected(value);
}

/** `[true, company, url]`: element 1 is the owner's company, element 2 the URL (may be ""). */
function parseRedirectionReply(value: unknown): Parsed<PhoneRedirection> {
  if (isErrorReply(value)) return parseErrorReply(value);
  if (
    Array.isArray(value) &&
    value.length >= 3 &&
    value[0] === true &&
    typeof value[1] === "string" &&
    (typeof value[2] === "string" || value[2] === null)
  ) {
    return { ok: true, data: { company: value[1], url: value[2] ?? "" } };
  }
  return unexpected(value);
}

/** A bare array of MAC strings (maybe empty); `[false, "Error…"]` on error. */
function parseMacListReply(value: unknown): Parsed<string[]> {
  if (isErrorReply(value)) return parseErrorReply(value);
  if (Array.isArray(value) && value.every((v) => typeof v === "string")) return { ok: true, data: value as string[] };
  return unexpected(value);
}

/** `[bool, ...]`: `[false, "<text>"]` is a failure; `[bool, bool…]` or `[true, "Ok"]` is returned whole. */
function parseBulkReply(value: unknown): Parsed<boolean[] | unknown[]> {
  if (isErrorReply(value)) return parseErrorReply(value);
  if (Array.isArray(value) && value.length >= 1 && typeof value[0] === "boolean") {
    if (value.length === 1) return unexpected(value);
    return { ok: true, data: value };
  }
  return unexpected(value);
}

function parseEchoReply(value: unknown): Parsed<unknown> {
  if (isErrorReply(value)) return parseErrorReply(value);
  return { ok: true, data: value };
}

function unexpected(value: unknown): Parsed<never> {
  let shown: string;
  try {
    shown = JSON.stringify(value) ?? String(value);
  } catch {
    shown = String(value);
  }
  return { ok: false, kind: "protocol", message: `Unexpected reply shape: ${shown.slice(0, 200)}` };
}
