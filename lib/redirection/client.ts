// Typed client for snom's redirection service (SRAPS/RDS). See docs/decisions/0002-redirection-client.md.
//
// Every function returns an RdsResult: whatever the service or the network answers becomes an
// outcome kind, never an exception. HTTP is done with node:http(s) so we see the real status and
// body; XML-RPC (de)serialisation comes from the xmlrpc package.
//
// Server code only (the sync worker and server actions): never import this from a client component.
import type dns from "node:dns";
import http from "node:http";
import https from "node:https";
import { PassThrough } from "node:stream";
import net from "node:net";
import tls from "node:tls";
import iconv from "iconv-lite";
import xmlrpc from "xmlrpc";
import Deserializer from "xmlrpc/lib/deserializer.js";
import serializer from "xmlrpc/lib/serializer.js";
import { env } from "../env";
import { classifyAddress, guardedLookup, isIpLiteral, PRIVATE_ADDRESS_CODE } from "./address-guard";
import { URL_CREDENTIALS_MESSAGE, withoutUrlCredentials } from "./endpoint-url";
import { callVerdict, recordCallOutcome, throttleDelayMs, throttleKey } from "./failure-throttle";
import {
  ANSWERS_PLAIN_HTTP_MESSAGE,
  ANSWERS_TLS_MESSAGE,
  faultMessage,
  httpStatusWords,
  NETWORK_WORDS,
  timeoutExcerpt,
  timeoutWords,
} from "./outcome-words";
import { cleanServiceText, groupDigits, SERVICE_TEXT_MAX, SERVICE_URL_MAX } from "./service-text";
import type {
  FailureKind,
  FailureReason,
  PhoneRedirection,
  RawReply,
  RdsAccount,
  RdsFailure,
  RdsResult,
} from "./types";

export const DEFAULT_TIMEOUT_MS = 15_000;
// Not below SYNC_CONCURRENCY's maximum (64): calls queued inside the agent would look like service
// latency to the worker's adaptive limiter (lib/sync/limiter.ts), which is the politeness limit now.
export const MAX_SOCKETS_PER_AGENT = 64;
const EXCERPT_CHARS = SERVICE_TEXT_MAX;
/** Plain-text replies up to this size are kept in history as text (excerptOf). */
const SHORT_TEXT_BYTES = 200;
/** Replies are a few hundred bytes; anything over this is refused and the connection destroyed. */
export const MAX_REPLY_BYTES = 64 * 1024;
/** Deepest element nesting accepted in a reply (a getPhoneRedirection reply nests 8 deep). */
export const MAX_XML_DEPTH = 32;
/** Most elements accepted in one reply. */
export const MAX_XML_ELEMENTS = 10_000;
/** Bounds of one reply: body bytes and XML elements. */
export type ReplyLimits = { maxReplyBytes: number; maxElements: number };
const DEFAULT_REPLY_LIMITS: ReplyLimits = { maxReplyBytes: MAX_REPLY_BYTES, maxElements: MAX_XML_ELEMENTS };
/** listPhones: a MAC costs about 40 bytes and 2 elements on the wire; 100 000 MACs fit. */
export const LIST_REPLY_LIMITS: ReplyLimits = { maxReplyBytes: 4 * 1024 * 1024, maxElements: 200_100 };
/** The parser gets the reply in pieces this large, with a turn of the event loop in between. */
const PARSE_CHUNK_CHARS = 8 * 1024;
/** Longest wait for the "does this port speak TLS?" probe after an http:// call was hung up on. */
const TLS_PROBE_MAX_MS = 3_000;

// The wrong-scheme messages live with the other outcome words; explain.ts and the worker import them from here.
export { ANSWERS_PLAIN_HTTP_MESSAGE, ANSWERS_TLS_MESSAGE };

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

/**
 * `redirect.listPhones(phoneType, url?)`: this account's MACs of one model, optionally only those
 * pointing at `url`. The one reply that grows with the account: allowed LIST_REPLY_LIMITS
 * (about 100 000 MACs) instead of the per-call defaults.
 */
export async function listPhones(account: RdsAccount, phoneType: string, url?: string): Promise<RdsResult<string[]>> {
  const params = url === undefined ? [phoneType] : [phoneType, url];
  return mapReply(await callRds(account, "redirect.listPhones", params, LIST_REPLY_LIMITS), parseMacListReply);
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
export async function deregisterPhoneList(
  account: RdsAccount,
  macs: string[],
): Promise<RdsResult<boolean[] | unknown[]>> {
  return mapReply(await callRds(account, "redirect.deregisterPhoneList", [macs]), parseBulkReply);
}

/**
 * `network.echo(text)`: the credentials check (there is no login method). Any non-error reply is ok.
 * `paced`: see CallOptions (the circuit breaker's probes).
 */
export async function echo(account: RdsAccount, text: string, opts: CallOptions = {}): Promise<RdsResult<unknown>> {
  return mapReply(await callRds(account, "network.echo", [text], DEFAULT_REPLY_LIMITS, opts), parseEchoReply);
}

export type CallOptions = {
  /**
   * The caller paces these calls itself: the circuit breaker's probes go out once per 5 to 60 s
   * (lib/sync/breaker.ts). The failure throttle does not delay them (it held every probe of an outage
   * 2 s, so recovery was noticed 2 s late); their outcome still counts, so a probe that finds the
   * service back ends the streak before the queue drains.
   */
  paced?: boolean;
};

// ---------------------------------------------------------------------------------------------
// Transport: one XML-RPC call, classified into "got a value" or a failure.

/** A call that reached the XML-RPC layer: `value` is the decoded reply. */
export type RpcReply = { kind: "reply"; value: unknown; raw: RawReply; durationMs: number };

type CallFailure = RdsFailure & { kind: FailureKind };

/**
 * Low-level call: any method, reply undecoded beyond XML-RPC. Never throws. Everything about the
 * reply is bounded: MAX_REPLY_BYTES of body, MAX_XML_DEPTH / MAX_XML_ELEMENTS while parsing (which
 * yields to the event loop every PARSE_CHUNK_CHARS), no DOCTYPE, the whole call within the timeout.
 * Non-public addresses are refused unless the account allows them (address-guard.ts). After a
 * streak of failures, calls to the same account wait first (failure-throttle.ts).
 */
export async function callRds(
  account: RdsAccount,
  method: string,
  params: unknown[],
  limits: ReplyLimits = DEFAULT_REPLY_LIMITS,
  opts: CallOptions = {},
): Promise<RpcReply | CallFailure> {
  // A failing endpoint is called less often (failure-throttle.ts); the wait is not part of durationMs.
  const key = throttleKey(account);
  const wait = opts.paced ? 0 : throttleDelayMs(key);
  if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
  const result = await callOnce(account, method, params, limits);
  recordCallOutcome(key, callVerdict(result));
  return result;
}

async function callOnce(
  account: RdsAccount,
  method: string,
  params: unknown[],
  limits: ReplyLimits,
): Promise<RpcReply | CallFailure> {
  const started = performance.now();
  const elapsed = () => Math.round(performance.now() - started);

  let target: URL;
  const shownUrl = withoutUrlCredentials(account.url);
  try {
    target = new URL(account.url);
  } catch {
    return failure("protocol", `Invalid service URL: ${shownUrl}`, { excerpt: shownUrl }, elapsed(), "invalid_url");
  }
  if (target.protocol !== "http:" && target.protocol !== "https:") {
    return failure(
      "protocol",
      `Unsupported URL scheme ${target.protocol}`,
      { excerpt: shownUrl },
      elapsed(),
      "invalid_url",
    );
  }
  // Node would turn `user:password@` into its own Authorization header, and the URL is shown and
  // logged: credentials belong in the account's fields only.
  if (target.username !== "" || target.password !== "") {
    return failure("protocol", URL_CREDENTIALS_MESSAGE, { excerpt: "not called" }, elapsed(), "credentials_in_url");
  }
  const allowPrivate = account.allowPrivateAddresses ?? env.ALLOW_PRIVATE_ENDPOINTS;
  if (!allowPrivate && isIpLiteral(target.hostname)) {
    // Node connects to IP literals without calling `lookup`, so they are judged here.
    const verdict = classifyAddress(target.hostname);
    if (!verdict.public)
      return failure("protocol", verdict.message, { excerpt: "not called" }, elapsed(), "private_address");
  }

  const body = Buffer.from(serializer.serializeMethodCall(method, params.map(toWire)), "utf8");
  // Node's recommended pattern for keep-alive: a request that fails on a reused socket the server
  // had already closed never reached the application, so it is retried once on a fresh socket.
  let attempt = await sendOnce(account, target, body, allowPrivate, limits.maxReplyBytes);
  if (attempt.kind === "network" && attempt.reusedSocket && attempt.code === "ECONNRESET") {
    attempt = await sendOnce(account, target, body, allowPrivate, limits.maxReplyBytes);
  }

  const durationMs = elapsed();
  if (attempt.kind === "timeout") {
    return failure("transient", timeoutWords(attempt.timeoutMs), { excerpt: attempt.message }, durationMs, "timeout");
  }
  if (attempt.kind === "too_large") {
    return failure(
      "protocol",
      `Reply larger than ${limits.maxReplyBytes / 1024} KiB`,
      { status: attempt.status, excerpt: attempt.description },
      durationMs,
      "too_large",
    );
  }
  if (attempt.kind === "network") {
    if (await isSchemeMismatch(attempt, target, allowPrivate, account.timeoutMs ?? DEFAULT_TIMEOUT_MS, elapsed())) {
      const message = target.protocol === "https:" ? ANSWERS_PLAIN_HTTP_MESSAGE : ANSWERS_TLS_MESSAGE;
      return failure("protocol", message, { excerpt: attempt.message }, elapsed(), "wrong_scheme");
    }
    return failure(
      classifyNetworkError(attempt.code, attempt.message),
      describeNetworkError(attempt),
      { excerpt: attempt.message },
      durationMs,
      networkReason(attempt.code),
    );
  }

  const status = attempt.status;
  const decodedBody = decodeReplyBody(attempt.body, attempt.contentType);
  const text = decodedBody.ok ? decodedBody.text : null;
  const raw: RawReply = { status, excerpt: excerptOf(attempt.body, text, attempt.contentType) };
  if (
    status === 400 &&
    target.protocol === "http:" &&
    text !== null &&
    PLAIN_HTTP_TO_TLS_PORT.test(text.slice(0, 2048))
  ) {
    // nginx and Go's TLS servers answer a plain request with such a 400 page.
    return failure("protocol", ANSWERS_TLS_MESSAGE, raw, durationMs, "wrong_scheme");
  }
  if (status === 401 || status === 403) {
    return failure("auth_failed", `HTTP ${status}: the service refused the credentials`, raw, durationMs);
  }
  if (status === 429 || status === 408 || (status >= 500 && status <= 599)) {
    const retryAfterMs = parseRetryAfter(attempt.retryAfter);
    return failure(
      "transient",
      httpStatusWords(status),
      retryAfterMs === undefined ? raw : { ...raw, retryAfterMs },
      durationMs,
    );
  }
  if (status >= 300 && status <= 399) {
    const to = attempt.location ? ` to ${cleanServiceText(attempt.location, SERVICE_URL_MAX)}` : "";
    return failure(
      "protocol",
      `The service redirected the call (HTTP ${status}${to}); redirects are not followed`,
      raw,
      durationMs,
      "redirect",
    );
  }
  if (status !== 200) {
    const hint = status === 404 ? " (check the endpoint URL, including its trailing slash)" : "";
    return failure(
      "protocol",
      `Unexpected HTTP ${status}${hint}`,
      raw,
      durationMs,
      status === 404 ? "not_found" : undefined,
    );
  }
  if (!decodedBody.ok) return failure("protocol", decodedBody.message, raw, durationMs, decodedBody.reason);
  const kindOfBody = bodyKind(text, attempt.contentType);
  if (kindOfBody === "html") {
    return failure("protocol", `Reply is not XML-RPC: ${raw.excerpt}`, raw, durationMs, "html_page");
  }

  const decoded = await decodeMethodResponse(decodedBody.text, limits.maxElements);
  if (decoded.kind === "fault") {
    return failure(
      "protocol",
      faultMessage(cleanServiceText(String(decoded.code), 40), decoded.message),
      raw,
      durationMs,
      "fault",
    );
  }
  if (decoded.kind === "invalid") {
    const what = kindOfBody === "xmlrpc" ? "" : ` (${raw.excerpt})`;
    return failure(
      "protocol",
      `Reply is not a valid XML-RPC response: ${decoded.message}${what}`,
      raw,
      durationMs,
      "not_xmlrpc",
    );
  }
  return { kind: "reply", value: decoded.value, raw, durationMs };
}

type Attempt =
  | {
      kind: "response";
      status: number;
      body: Buffer;
      contentType: string;
      location: string | undefined;
      retryAfter?: string;
    }
  | { kind: "too_large"; status: number; description: string }
  | { kind: "timeout"; timeoutMs: number; message: string }
  | {
      kind: "network";
      code: string | undefined;
      message: string;
      reusedSocket: boolean;
      /** The first bytes of what the server sent when Node's HTTP parser refused it. */
      rawPacket?: Buffer;
      /** No response (not even a status line) arrived before the error. */
      noResponse?: boolean;
    };

function sendOnce(
  account: RdsAccount,
  target: URL,
  body: Buffer,
  allowPrivate: boolean,
  maxReplyBytes: number,
): Promise<Attempt> {
  const timeoutMs = account.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const signal = AbortSignal.timeout(timeoutMs);
  const secure = target.protocol === "https:";
  const request = secure ? https.request : http.request;

  return new Promise<Attempt>((resolve) => {
    let settled = false;
    let gotResponse = false;
    const settle = (a: Attempt) => {
      if (settled) return;
      settled = true;
      signal.removeEventListener("abort", onAbort);
      resolve(a);
    };
    const onAbort = () => {
      settle({ kind: "timeout", timeoutMs, message: timeoutExcerpt(timeoutMs) });
      req.destroy();
    };
    const tooLarge = (status: number, contentType: string) => {
      settle({
        kind: "too_large",
        status,
        description: `more than ${groupDigits(maxReplyBytes)} bytes, ${cleanServiceText(contentType, 100) || "no content type"}`,
      });
      // The socket is destroyed, not drained: a hostile server must not keep us reading.
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
        agent: agentFor(secure, account.ca, allowPrivate),
        // Every address a name resolves to is checked when the socket connects (DNS rebinding).
        ...(allowPrivate ? {} : { lookup: guardedLookup as unknown as typeof dns.lookup }),
        headers: {
          "Content-Type": "text/xml",
          "Content-Length": body.length,
          Accept: "text/xml",
          "User-Agent": "redirection-portal",
          Authorization: basicAuthorization(account.username, account.password),
        },
      },
      (res) => {
        gotResponse = true;
        const status = res.statusCode ?? 0;
        const contentType = String(res.headers["content-type"] ?? "");
        const declared = Number(res.headers["content-length"]);
        if (Number.isFinite(declared) && declared > maxReplyBytes) return tooLarge(status, contentType);
        const chunks: Buffer[] = [];
        let size = 0;
        res.on("data", (chunk: Buffer) => {
          size += chunk.length;
          if (size > maxReplyBytes) return tooLarge(status, contentType);
          chunks.push(chunk);
        });
        res.on("end", () => {
          settle({
            kind: "response",
            status,
            body: Buffer.concat(chunks),
            contentType,
            location: res.headers.location,
            retryAfter: typeof res.headers["retry-after"] === "string" ? res.headers["retry-after"] : undefined,
          });
          // Only a 200 leaves the connection in a known state: a server that refuses a call (401,
          // 503, …) may not have read our request body, and reusing that socket would make the
          // leftover bytes its next request ("HTTP 400" for an innocent call). Node hands the
          // socket back to the agent only after this handler, and the agent drops destroyed ones.
          if (status !== 200) req.socket?.destroy();
        });
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
    req.on("error", (err: NodeJS.ErrnoException & { rawPacket?: unknown }) =>
      settle({
        kind: "network",
        code: err.code,
        message: err.message,
        reusedSocket: req.reusedSocket,
        rawPacket: Buffer.isBuffer(err.rawPacket) ? err.rawPacket.subarray(0, 16) : undefined,
        noResponse: !gotResponse,
      }),
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
 * Keep-alive agents shared across calls, one per (protocol, extra CA, address policy), and so across
 * organizations. That is safe because nothing per-tenant rides on a pooled socket: credentials go in
 * each request's own Authorization header (Basic auth is stateless: the service keeps no login or
 * cookie per connection), no client certificate is used, and the extra CA is deployment-wide
 * (RDS_CA_FILE), never an organization's. The per-host socket cap is a politeness limit towards a
 * remote endpoint, not a credential boundary. A socket opened for the sandbox (private addresses
 * allowed) is never reused by a guarded call.
 */
function agentFor(secure: boolean, ca: string | undefined, allowPrivate: boolean): http.Agent {
  const key = `${secure ? "https" : "http"}\u0000${secure ? (ca ?? "") : ""}\u0000${allowPrivate ? "private" : "public"}`;
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
  if (code === PRIVATE_ADDRESS_CODE) return "protocol";
  if (code && TRANSIENT_CODES.has(code)) return "transient";
  if (/socket hang up/i.test(message)) return "transient";
  // TLS verification failures and oversized replies are configuration/protocol problems: retrying
  // does not fix them, a person has to.
  if (isTlsVerificationError(code)) return "protocol";
  return code ? "transient" : "protocol";
}

// What nginx ("The plain HTTP request was sent to HTTPS port") and Go ("Client sent an HTTP request
// to an HTTPS server") answer a plain HTTP request with.
const PLAIN_HTTP_TO_TLS_PORT = /plain HTTP request was sent to HTTPS port|HTTP request to an HTTPS server/i;

/**
 * Is a failed call an http-vs-https mix-up? `https://` to a plain HTTP port: OpenSSL reads the
 * server's "HTTP/1.1 400" as a TLS record and fails with "wrong version number" (EPROTO), or
 * "packet length too long" / "http request" for other first bytes. `http://` to a TLS port: the
 * server either sends a TLS record (an alert, 0x15 0x03, or a handshake, 0x16 0x03) that Node's
 * HTTP parser refuses, or hangs up without a byte (OpenSSL servers such as Node's): then a TLS
 * handshake to the same host and port, bounded by what is left of the call's timeout and through
 * the same address guard, tells whether the port speaks TLS. Nothing is sent over that connection.
 */
async function isSchemeMismatch(
  attempt: Extract<Attempt, { kind: "network" }>,
  target: URL,
  allowPrivate: boolean,
  timeoutMs: number,
  elapsedMs: number,
): Promise<boolean> {
  if (target.protocol === "https:") {
    return /wrong version number|packet length too long|ssl3_get_record:http request|WRONG_VERSION_NUMBER/i.test(
      `${attempt.code} ${attempt.message}`,
    );
  }
  const first = attempt.rawPacket;
  if (first && first.length >= 2 && (first[0] === 0x15 || first[0] === 0x16) && first[1] === 0x03) return true;
  if (attempt.code !== "ECONNRESET" || !attempt.noResponse || attempt.reusedSocket) return false;
  return answersTls(target, allowPrivate, Math.min(TLS_PROBE_MAX_MS, Math.max(0, timeoutMs - elapsedMs)));
}

function answersTls(target: URL, allowPrivate: boolean, waitMs: number): Promise<boolean> {
  if (waitMs <= 0) return Promise.resolve(false);
  const host = target.hostname.replace(/^\[(.*)\]$/, "$1");
  return new Promise<boolean>((resolve) => {
    const socket = tls.connect({
      host,
      port: Number(target.port || 80),
      ...(net.isIP(host) ? {} : { servername: host }),
      // The question is only whether the port speaks TLS; no request is sent over this socket.
      rejectUnauthorized: false,
      ...(allowPrivate ? {} : { lookup: guardedLookup as unknown as typeof dns.lookup }),
    });
    const timer = setTimeout(() => done(false), waitMs);
    function done(speaksTls: boolean) {
      clearTimeout(timer);
      socket.destroy();
      resolve(speaksTls);
    }
    socket.once("secureConnect", () => done(true));
    socket.once("error", () => done(false));
    socket.once("close", () => done(false));
  });
}

function isTlsVerificationError(code: string | undefined): boolean {
  return /CERT|SELF_SIGNED|UNABLE_TO_|ISSUER|ERR_TLS|ERR_SSL|HOSTNAME_MISMATCH/.test(code ?? "");
}

function networkReason(code: string | undefined): FailureReason | undefined {
  if (code === PRIVATE_ADDRESS_CODE) return "private_address";
  if (isTlsVerificationError(code)) return "tls";
  return undefined;
}

function describeNetworkError(a: { code: string | undefined; message: string }): string {
  if (a.code === PRIVATE_ADDRESS_CODE) return a.message;
  if (isTlsVerificationError(a.code)) return `TLS verification failed (${a.code}): ${a.message}`;
  const words = a.code ? NETWORK_WORDS[a.code] : undefined;
  if (words) {
    // Node's messages end with the address ("connect ECONNREFUSED 127.0.0.1:8083", "getaddrinfo ENOTFOUND host").
    const where = /\s(\S+:\d+)\s*$/.exec(a.message)?.[1] ?? /ENOTFOUND\s+(\S+)/.exec(a.message)?.[1];
    return `${words} (${where ? `${where}, ` : ""}${a.code})`;
  }
  return a.code ? `${a.code}: ${a.message}` : a.message;
}

type Decoded =
  | { kind: "value"; value: unknown }
  | { kind: "fault"; code: unknown; message: string }
  | { kind: "invalid"; message: string };

/**
 * XML-RPC decoding by the xmlrpc package's sax-based deserializer, fed by us in PARSE_CHUNK_CHARS
 * pieces with a turn of the event loop in between, and stopped as soon as the reply nests deeper
 * than MAX_XML_DEPTH, has more than MAX_XML_ELEMENTS elements or declares a DOCTYPE (entity bombs,
 * external entities). The package never sees a reply that could stall the process.
 */
async function decodeMethodResponse(text: string, maxElements: number): Promise<Decoded> {
  let result: Decoded | null = null;
  const decided = (d: Decoded) => {
    result ??= d;
  };
  const deserializer = new Deserializer();
  const parser = deserializer.parser;
  let depth = 0;
  let elements = 0;
  parser.on("opentag", () => {
    depth++;
    elements++;
    if (depth > MAX_XML_DEPTH) decided({ kind: "invalid", message: `nested deeper than ${MAX_XML_DEPTH} levels` });
    else if (elements > maxElements)
      decided({ kind: "invalid", message: `more than ${groupDigits(maxElements)} elements` });
  });
  parser.on("closetag", () => {
    depth--;
  });
  parser.on("doctype", () => decided({ kind: "invalid", message: "DOCTYPE declarations (entities) are not accepted" }));
  // The package pipes this stream into its parser; we never write to it and feed the parser ourselves.
  deserializer.deserializeMethodResponse(new PassThrough(), (error, value) => {
    if (!error) return decided({ kind: "value", value });
    const err = error as { faultCode?: unknown; faultString?: unknown; message?: unknown };
    if (err.faultCode !== undefined) {
      return decided({ kind: "fault", code: err.faultCode, message: cleanServiceText(String(err.faultString ?? "")) });
    }
    decided({ kind: "invalid", message: cleanServiceText(String(err.message ?? error), 200) });
  });
  try {
    for (let at = 0; at < text.length && !result; at += PARSE_CHUNK_CHARS) {
      if (at > 0) await new Promise<void>((resolve) => setImmediate(resolve));
      parser.write(text.slice(at, at + PARSE_CHUNK_CHARS));
    }
    if (!result) parser.end();
  } catch (error) {
    decided({ kind: "invalid", message: cleanServiceText(String((error as Error)?.message ?? error), 200) });
  }
  return result ?? { kind: "invalid", message: "incomplete XML" };
}

type DecodedBody = { ok: true; text: string } | { ok: false; reason: "not_utf8" | "charset"; message: string };

// Encodings whose bytes for `<`, `>` and ASCII letters are ASCII, so the XML declaration we read
// byte-wise is what the text says. UTF-16 and WHATWG's "replacement" (ISO-2022-KR and friends) are not.
const NOT_ASCII_COMPATIBLE = new Set(["utf-16le", "utf-16be", "replacement"]);

/**
 * The reply as text, decoded by (first that applies) a UTF-8 byte order mark, the XML declaration's
 * `encoding` (what snom's own Python client follows: its expat parser reads it, the HTTP header
 * not), the Content-Type's `charset`, else UTF-8. Labels are WHATWG Encoding labels as Node's
 * TextDecoder knows them: "ISO-8859-1", "latin1" and "US-ASCII" decode as windows-1252, its
 * superset. Invalid UTF-8 is refused (never replaced by U+FFFD); an unknown or non-ASCII-compatible
 * label is named. Reasons: "not_utf8" (UTF-8, declared or assumed), "charset".
 */
export function decodeReplyBody(body: Buffer, contentType: string): DecodedBody {
  const hasBom = body.length >= 3 && body[0] === 0xef && body[1] === 0xbb && body[2] === 0xbf;
  const label = hasBom ? "utf-8" : (declaredEncoding(body) ?? contentTypeCharset(contentType) ?? "utf-8");
  let decoder: TextDecoder;
  try {
    decoder = new TextDecoder(label, { fatal: true });
  } catch {
    return {
      ok: false,
      reason: "charset",
      message: `Reply is in an unknown character set “${cleanServiceText(label, 40)}”`,
    };
  }
  const unsupported = {
    ok: false,
    reason: "charset",
    message: `Reply is in an unsupported character set “${cleanServiceText(label, 40)}”`,
  } as const;
  if (NOT_ASCII_COMPATIBLE.has(decoder.encoding)) return unsupported;
  if (decoder.encoding === "utf-8") {
    try {
      return { ok: true, text: decoder.decode(body) };
    } catch {
      return { ok: false, reason: "not_utf8", message: "Reply is not valid UTF-8 text" };
    }
  }
  // TextDecoder named the encoding; iconv-lite decodes it, because Node 20.18.3+ decodes
  // windows-1252 as Latin-1 (0x80 "€" becomes U+0080; nodejs/node#60888).
  if (!iconv.encodingExists(decoder.encoding)) return unsupported;
  return { ok: true, text: iconv.decode(body, decoder.encoding) };
}

/** `encoding="…"` of an XML declaration at the very start of the body, read as ASCII. */
function declaredEncoding(body: Buffer): string | undefined {
  const head = body.subarray(0, 256).toString("latin1");
  return /^<\?xml\s[^>]*?\bencoding\s*=\s*["']([^"'\s]{1,64})["']/.exec(head)?.[1];
}

/** The `charset` parameter of a Content-Type header (quoted or not). */
function contentTypeCharset(contentType: string): string | undefined {
  return /;\s*charset\s*=\s*"?([^";\s]{1,64})"?/i.exec(contentType)?.[1];
}

type BodyKind = "empty" | "xmlrpc" | "html" | "json" | "xml" | "text" | "binary";

function bodyKind(text: string | null, contentType: string): BodyKind {
  if (text === null) return "binary";
  const head = text
    .slice(0, 512)
    .replace(/^\uFEFF/, "")
    .trimStart();
  if (head === "") return "empty";
  if (/^(<\?xml[^>]*\?>\s*)?<methodResponse[\s>]/i.test(head)) return "xmlrpc";
  if (/html/i.test(contentType) || /^<!doctype html|^<html[\s>]/i.test(head)) return "html";
  if (/json/i.test(contentType) || /^[{[]/.test(head)) return "json";
  if (head.startsWith("<")) return "xml";
  return /[\u0000-\u0008\u000e-\u001f]/.test(head) ? "binary" : "text";
}

const BODY_LABELS: Record<Exclude<BodyKind, "xmlrpc">, string> = {
  empty: "empty body",
  html: "HTML page",
  json: "JSON document",
  xml: "XML document that is not an XML-RPC reply",
  text: "text",
  binary: "binary data",
};

/**
 * What history keeps of a reply: the start of an XML-RPC methodResponse (cleaned, bounded); of
 * anything else (a login page, a JSON error, an internal admin page) only a description such as
 * "HTML page, 5 321 bytes, text/html", never its content; except short plain text (at most
 * SHORT_TEXT_BYTES, no markup), which is kept cleaned after the description: it is what the
 * service said ("Internal Server Error") and carries nothing a page could.
 */
function excerptOf(body: Buffer, text: string | null, contentType: string): string {
  const kind = bodyKind(text, contentType);
  if (kind === "xmlrpc") return cleanServiceText(text, EXCERPT_CHARS);
  if (kind === "empty") return BODY_LABELS.empty;
  const type = cleanServiceText(contentType, 100) || "no content type";
  const described = `${BODY_LABELS[kind]}, ${groupDigits(body.length)} bytes, ${type}`;
  // A short plain-text reply ("Internal Server Error") is the diagnosis itself: kept, cleaned.
  if (kind === "text" && text !== null && body.length <= SHORT_TEXT_BYTES)
    return `${described}: “${cleanServiceText(text, SHORT_TEXT_BYTES)}”`;
  return described;
}

// ---------------------------------------------------------------------------------------------
// Reply shapes.

type Parsed<T> = { ok: true; data: T } | { ok: false; kind: FailureKind; message: string };

function mapReply<T>(reply: Awaited<ReturnType<typeof callRds>>, parse: (value: unknown) => Parsed<T>): RdsResult<T> {
  if (reply.kind !== "reply") return reply;
  const parsed = parse(reply.value);
  if (parsed.ok) return { kind: "ok", data: parsed.data, raw: reply.raw, durationMs: reply.durationMs };
  return failure(parsed.kind, parsed.message, reply.raw, reply.durationMs);
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

/** Every failure leaves the client through here: message and excerpt bounded and cleaned. */
function failure(
  kind: FailureKind,
  message: string,
  raw: RawReply,
  durationMs: number,
  reason?: FailureReason,
): CallFailure {
  const bounded: RawReply = { ...raw, excerpt: cleanServiceText(raw.excerpt, EXCERPT_CHARS) };
  return { kind, message: cleanServiceText(message), raw: bounded, durationMs, ...(reason ? { reason } : {}) };
}

const SERVICE_ERRORS = ["owned_by_other_user", "malformed_mac", "malformed_url", "no_such_mac"] as const;

/** `[false, "Error:xyz"]` -> its failure kind; "Error:" prefix optional, case-insensitive. */
function parseErrorReply(value: unknown[]): Parsed<never> {
  const text = value[1];
  if (typeof text !== "string") return unexpected(value);
  const code = text
    .trim()
    .replace(/^error\s*:\s*/i, "")
    .toLowerCase();
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
  // snom's CLI reads only the boolean of a success: its text may be <nil/> too.
  if (
    Array.isArray(value) &&
    value.length >= 2 &&
    value[0] === true &&
    (typeof value[1] === "string" || value[1] === null)
  ) {
    return { ok: true, data: true };
  }
  return unexpected(value);
}

/**
 * `[true, company, url]`: element 1 is the owner's company, element 2 the URL. Either may be `""`
 * or `<nil/>` (both read as `""`), as snom's CLI takes them (`redirection[1] or ''`).
 */
function parseRedirectionReply(value: unknown): Parsed<PhoneRedirection> {
  if (isErrorReply(value)) return parseErrorReply(value);
  if (
    Array.isArray(value) &&
    value.length >= 3 &&
    value[0] === true &&
    (typeof value[1] === "string" || value[1] === null) &&
    (typeof value[2] === "string" || value[2] === null)
  ) {
    return {
      ok: true,
      data: { company: cleanServiceText(value[1] ?? ""), url: cleanServiceText(value[2] ?? "", SERVICE_URL_MAX) },
    };
  }
  return unexpected(value);
}

/** A bare array of MAC strings (maybe empty); `[false, "Error…"]` on error. */
function parseMacListReply(value: unknown): Parsed<string[]> {
  if (isErrorReply(value)) return parseErrorReply(value);
  if (Array.isArray(value) && value.every((v) => typeof v === "string"))
    return { ok: true, data: value.map((v) => cleanServiceText(v)) };
  return unexpected(value);
}

/** `[bool, ...]`: `[false, "<text>"]` is a failure; `[bool, bool…]` or `[true, "Ok"]` is returned whole. */
function parseBulkReply(value: unknown): Parsed<boolean[] | unknown[]> {
  if (isErrorReply(value)) return parseErrorReply(value);
  if (Array.isArray(value) && value.length >= 1 && typeof value[0] === "boolean") {
    if (value.length === 1) return unexpected(value);
    return { ok: true, data: value.map((v) => (typeof v === "string" ? cleanServiceText(v) : v)) };
  }
  return unexpected(value);
}

/** Strings come back cleaned and bounded; the connection test compares a short nonce, which survives that. */
function parseEchoReply(value: unknown): Parsed<unknown> {
  if (isErrorReply(value)) return parseErrorReply(value);
  return { ok: true, data: typeof value === "string" ? cleanServiceText(value) : value };
}

function unexpected(value: unknown): Parsed<never> {
  let shown: string;
  try {
    shown = (JSON.stringify(value) ?? String(value)).slice(0, 1000);
  } catch {
    shown = String(value);
  }
  return { ok: false, kind: "protocol", message: `Unexpected reply shape: ${cleanServiceText(shown, 200)}` };
}
