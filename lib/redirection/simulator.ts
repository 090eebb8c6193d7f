// A local stand-in for snom's redirection service, for tests, development and load runs.
// A real XML-RPC server (the xmlrpc package's createServer) behind a small HTTP wrapper that adds
// what the package lacks: Basic auth, the exact `/xmlrpc/` path, latency, fault injection, call
// recording and an unauthenticated control interface under `/_control/`.
//
// Semantics follow ../../../shared/docs/redirection-api.md. Choices where the service is undocumented:
// - listPhones: registerPhone carries no model, so a phone's model is derived from its MAC prefix
//   (modelForMac: 000413 -> snomD785, 00087B -> snomM700, else "unknown").
// - registerPhoneList / deregisterPhoneList apply the single-MAC call to each MAC and answer
//   `[allOk, ...perMacOk]`.
// - Unknown methods and wrong parameter types answer XML-RPC faults (-32601 / -32602).
import { createHash, randomBytes } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import type { IncomingMessage, ServerResponse } from "node:http";
import type { Socket } from "node:net";
import path from "node:path";
import { PassThrough } from "node:stream";
import xmlrpc from "xmlrpc";
import Deserializer from "xmlrpc/lib/deserializer.js";
import serializer from "xmlrpc/lib/serializer.js";
import { z } from "zod";

/**
 * Hostile answers: what a misconfigured or malicious endpoint may send instead of the service's
 * replies (tests/integration/hostile-service.test.ts, scripts/bench-hostile.ts).
 * - nested: 9 000 nested `<value>` elements (63 KB); nested_huge: 1 000 000 of them (7 MB);
 * - many_elements: 10 500 `<nil/>` elements (63 KB); entity_bomb: a "billion laughs" DOCTYPE with an external entity;
 * - huge_body: a 5 MB string; huge_fault: a fault with a 5 MB fault string;
 * - long_fault: a 50 000-character fault string full of control and bidi characters;
 * - drip: a valid reply sent one byte per second; never_close: headers and half a body, then nothing;
 * - wrong_types: `<int>true</int>` where a boolean belongs; html_login: a login page with 200;
 * - redirect: 302 to a cloud metadata address; non_utf8: Latin-1 bytes in a UTF-8 reply;
 * - truncated: half a reply; binary: random bytes; empty: 200 with no body;
 * - echo_ok: `[true, "Ok"]` to every method, network.echo included.
 */
export const HOSTILE_MODES = [
  "nested",
  "nested_huge",
  "many_elements",
  "long_fault",
  "entity_bomb",
  "huge_body",
  "huge_fault",
  "drip",
  "never_close",
  "wrong_types",
  "html_login",
  "redirect",
  "non_utf8",
  "truncated",
  "binary",
  "empty",
  "echo_ok",
] as const;
export const FAULT_MODES = ["http500", "http503", "reset", "hang", "fault", "garbage", ...HOSTILE_MODES] as const;
export type FaultMode = (typeof FAULT_MODES)[number];

export const FOREIGN_ACCOUNT_USERNAME = "other-reseller";
export const FOREIGN_ACCOUNT_COMPANY = "Other Reseller GmbH";
/** MACs owned by the hidden foreign account when `seedForeignMacs` is on (the default). */
export const FOREIGN_MACS = ["000413FFFF01", "000413FFFF02", "000413FFFF03", "000413FFFF04", "000413FFFF05"] as const;

export const XMLRPC_PATH = "/xmlrpc/";
export const CONTROL_PREFIX = "/_control/";

export const SIMULATED_METHODS = [
  "redirect.registerPhone",
  "redirect.deregisterPhone",
  "redirect.checkPhone",
  "redirect.getPhoneRedirection",
  "redirect.listPhones",
  "redirect.registerPhoneList",
  "redirect.deregisterPhoneList",
  "network.echo",
] as const;

export type SimulatorAccount = { username: string; password: string; company: string };

export type SimulatorOptions = {
  /** 0 (default) picks a free port. */
  port?: number;
  /** Default 127.0.0.1. */
  host?: string;
  accounts: SimulatorAccount[];
  /**
   * Accounts not in `accounts`, checked on first use (the built-in sandbox gives every organization
   * its own account this way). Return the account when the password is right, else null.
   */
  resolveAccount?: (username: string, password: string) => SimulatorAccount | null;
  latencyMs?: number;
  /**
   * Calls it serves at once; a call beyond that is answered at once with HTTP 429 and
   * `Retry-After: 1` (outcome "throttled"). Default: unlimited.
   */
  capacity?: number;
  /** Probability (0..1) that a call gets a fault from `faultModes` instead of an answer. */
  faultRate?: number;
  faultModes?: FaultMode[];
  /**
   * MACs (12 hex digits, upper case) whose calls always get a fault (the first of `faultModes`,
   * HTTP 500 without any), whatever `faultRate` says: one phone failing while its account's other
   * calls are answered.
   */
  faultMacs?: string[];
  /** JSON file the registrations are loaded from at start and written to after each change. */
  stateFile?: string;
  /** Seed FOREIGN_MACS owned by "other-reseller" (default true). */
  seedForeignMacs?: boolean;
  /** Source of randomness for fault injection (tests); default Math.random. */
  random?: () => number;
  /** Company name of the hidden foreign account (default FOREIGN_ACCOUNT_COMPANY); tests make it hostile. */
  foreignCompany?: string;
  /** Serve HTTPS with this key and certificate (PEM) instead of plain HTTP; `url` then starts with https://. */
  tls?: { key: string; cert: string };
};

export type SimulatedPhone = { owner: string; url: string };

export type SimulatorCall = {
  method: string;
  mac?: string;
  macs?: string[];
  username?: string;
  /**
   * The Basic-auth user and password the call carried, as sent (also when refused), so tests can
   * prove whose credentials went where. Only in-process (`state()`): the control interface
   * replaces the password with a SHA-256 fingerprint.
   */
  authUser?: string;
  authPassword?: string;
  /** When the simulator answered (epoch ms); a call that changed a registration took effect then. */
  at: number;
  /**
   * When the request arrived (epoch ms, same clock as `at`): [startedAt, at] is the time the call was
   * in the service's hands, so overlapping calls for one MAC can be found (scripts/bench-scale.ts).
   */
  startedAt: number;
  /** "ok", a service error ("owned_by_other_user", ...), "partial", "fault:<mode>", "auth_failed", ... */
  outcome: string;
};

export type SimulatorState = { phones: Record<string, SimulatedPhone>; calls: SimulatorCall[] };

export type SimulatorFaults = { rate: number; modes: FaultMode[] };

export type Simulator = {
  /** Endpoint with the mandatory trailing slash, e.g. http://127.0.0.1:41234/xmlrpc/ */
  url: string;
  /** Base URL of the control interface, e.g. http://127.0.0.1:41234/_control/ */
  controlUrl: string;
  port: number;
  close(): Promise<void>;
  /** A copy of the registrations and the call log. */
  state(): SimulatorState;
  setFaults(faults: { rate: number; modes?: FaultMode[] }): void;
  /** Most XML-RPC calls it was serving at once since start (or since the last `resetPeak`). */
  peakInFlight(): number;
  resetPeak(): void;
  setLatency(ms: number): void;
  /** Back to the start: seeded registrations only, empty call log, start-up faults and latency. */
  reset(): void;
  /** Number of recorded calls, optionally of one method and/or one MAC. */
  callCount(method?: string, mac?: string): number;
  /** TCP connections accepted since start (shows whether clients keep connections alive). */
  connectionCount(): number;
};

const MODEL_BY_PREFIX: Record<string, string> = { "000413": "snomD785", "00087B": "snomM700" };

/** The model the simulator files a MAC under for listPhones (the service's own mapping is unknown). */
export function modelForMac(mac: string): string {
  return MODEL_BY_PREFIX[mac.slice(0, 6).toUpperCase()] ?? "unknown";
}

const MAC_PATTERN = /^[0-9a-fA-F]{12}$/;
const URL_PATTERN = /^https?:\/\/[^\s/?#]+[^\s]*$/i;

export function isValidSimulatorUrl(url: string): boolean {
  return URL_PATTERN.test(url);
}

const FaultsInputSchema = z.object({
  rate: z.number().min(0).max(1).optional(),
  modes: z.array(z.enum(FAULT_MODES)).optional(),
  latencyMs: z.number().int().min(0).max(600_000).optional(),
});

const StateFileSchema = z.object({
  phones: z.record(z.string(), z.object({ owner: z.string(), url: z.string() })),
});

type Reply = { value: unknown; outcome: string; mac?: string; macs?: string[] };
type Fault = { faultCode: number; faultString: string };
class InvalidParams extends Error {}

export async function startSimulator(opts: SimulatorOptions): Promise<Simulator> {
  const host = opts.host ?? "127.0.0.1";
  const seedForeign = opts.seedForeignMacs ?? true;
  const random = opts.random ?? Math.random;
  const initialFaults: SimulatorFaults = validateFaults({ rate: opts.faultRate ?? 0, modes: opts.faultModes ?? [] });
  const initialLatency = opts.latencyMs ?? 0;

  const accounts = new Map<string, SimulatorAccount>();
  for (const a of opts.accounts) accounts.set(a.username, a);
  if (seedForeign && !accounts.has(FOREIGN_ACCOUNT_USERNAME)) {
    // Hidden: its password is random, so nobody logs in as it unless the caller lists it.
    accounts.set(FOREIGN_ACCOUNT_USERNAME, {
      username: FOREIGN_ACCOUNT_USERNAME,
      password: randomBytes(24).toString("hex"),
      company: opts.foreignCompany ?? FOREIGN_ACCOUNT_COMPANY,
    });
  }

  let faults = initialFaults;
  const faultMacs = new Set(opts.faultMacs ?? []);
  let latencyMs = initialLatency;
  const capacity = opts.capacity ?? Infinity;
  let serving = 0;
  let peakServing = 0;
  let calls: SimulatorCall[] = [];
  const phones = new Map<string, SimulatedPhone>();

  const seed = () => {
    if (!seedForeign) return;
    for (const mac of FOREIGN_MACS) {
      if (!phones.has(mac)) phones.set(mac, { owner: FOREIGN_ACCOUNT_USERNAME, url: "https://prov.other-reseller.example/{mac}" });
    }
  };
  if (opts.stateFile && existsSync(opts.stateFile)) {
    const loaded = StateFileSchema.parse(JSON.parse(readFileSync(opts.stateFile, "utf8")));
    for (const [mac, phone] of Object.entries(loaded.phones)) phones.set(mac.toUpperCase(), phone);
  }
  seed();

  const persist = () => {
    if (!opts.stateFile) return;
    const file = opts.stateFile;
    mkdirSync(path.dirname(file), { recursive: true });
    const temp = `${file}.${process.pid}.${randomBytes(4).toString("hex")}.tmp`;
    writeFileSync(temp, JSON.stringify({ phones: Object.fromEntries(phones) }, null, 2));
    renameSync(temp, file);
  };
  persist();

  const record = (call: Omit<SimulatorCall, "at">) => calls.push({ ...call, at: Date.now() });

  // --- the service semantics ---------------------------------------------------------------

  const companyOf = (username: string) => accounts.get(username)?.company ?? username;
  const err = (code: string) => [false, `Error:${code}`];

  function registerOne(username: string, rawMac: string, url: string): string {
    if (!MAC_PATTERN.test(rawMac)) return "malformed_mac";
    if (!URL_PATTERN.test(url)) return "malformed_url";
    const mac = rawMac.toUpperCase();
    const current = phones.get(mac);
    if (current && current.owner !== username) return "owned_by_other_user";
    phones.set(mac, { owner: username, url });
    return "ok";
  }

  function deregisterOne(username: string, rawMac: string): string {
    if (!MAC_PATTERN.test(rawMac)) return "malformed_mac";
    const mac = rawMac.toUpperCase();
    const current = phones.get(mac);
    if (!current) return "no_such_mac";
    if (current.owner !== username) return "owned_by_other_user";
    phones.delete(mac);
    return "ok";
  }

  const statusReply = (outcome: string, mac?: string): Reply => ({
    value: outcome === "ok" ? [true, "Ok"] : err(outcome),
    outcome,
    mac,
  });

  const str = (v: unknown, name: string): string => {
    if (typeof v !== "string") throw new InvalidParams(`${name} must be a string`);
    return v;
  };
  const strList = (v: unknown, name: string): string[] => {
    if (!Array.isArray(v) || !v.every((x) => typeof x === "string")) throw new InvalidParams(`${name} must be an array of strings`);
    return v as string[];
  };
  const upper = (mac: string) => (MAC_PATTERN.test(mac) ? mac.toUpperCase() : mac);

  const handlers: Record<(typeof SIMULATED_METHODS)[number], (username: string, args: unknown[]) => Reply> = {
    "redirect.registerPhone": (username, [mac, url]) => {
      const outcome = registerOne(username, str(mac, "mac"), str(url, "url"));
      if (outcome === "ok") persist();
      return statusReply(outcome, upper(mac as string));
    },
    "redirect.deregisterPhone": (username, [mac]) => {
      const outcome = deregisterOne(username, str(mac, "mac"));
      if (outcome === "ok") persist();
      return statusReply(outcome, upper(mac as string));
    },
    "redirect.checkPhone": (username, [rawMac]) => {
      const mac = str(rawMac, "mac");
      if (!MAC_PATTERN.test(mac)) return statusReply("malformed_mac", mac);
      const current = phones.get(mac.toUpperCase());
      const outcome = !current ? "no_such_mac" : current.owner !== username ? "owned_by_other_user" : "ok";
      return statusReply(outcome, mac.toUpperCase());
    },
    "redirect.getPhoneRedirection": (_username, [rawMac]) => {
      const mac = str(rawMac, "mac");
      if (!MAC_PATTERN.test(mac)) return statusReply("malformed_mac", mac);
      const current = phones.get(mac.toUpperCase());
      if (!current) return statusReply("no_such_mac", mac.toUpperCase());
      return { value: [true, companyOf(current.owner), current.url], outcome: "ok", mac: mac.toUpperCase() };
    },
    "redirect.listPhones": (username, args) => {
      const model = str(args[0], "phoneType");
      const filter = args[1] === undefined || args[1] === null ? undefined : str(args[1], "url");
      const macs = [...phones.entries()]
        .filter(([mac, p]) => p.owner === username && modelForMac(mac) === model && (filter === undefined || p.url === filter))
        .map(([mac]) => mac)
        .sort();
      return { value: macs, outcome: "ok" };
    },
    "redirect.registerPhoneList": (username, [macs, url]) => {
      const list = strList(macs, "macs");
      const target = str(url, "url");
      const results = list.map((mac) => registerOne(username, mac, target) === "ok");
      if (results.some(Boolean)) persist();
      return bulkReply(results, list.map(upper));
    },
    "redirect.deregisterPhoneList": (username, [macs]) => {
      const list = strList(macs, "macs");
      const results = list.map((mac) => deregisterOne(username, mac) === "ok");
      if (results.some(Boolean)) persist();
      return bulkReply(results, list.map(upper));
    },
    "network.echo": (_username, [text]) => ({ value: text ?? null, outcome: "ok" }),
  };

  function bulkReply(results: boolean[], macs: string[]): Reply {
    const allOk = results.every(Boolean);
    return { value: [allOk, ...results], outcome: allOk ? "ok" : "partial", macs };
  }

  // --- the XML-RPC server --------------------------------------------------------------------

  const server = opts.tls
    ? xmlrpc.createSecureServer({ host, port: opts.port ?? 0, key: opts.tls.key, cert: opts.tls.cert } as Parameters<typeof xmlrpc.createSecureServer>[0])
    : xmlrpc.createServer({ host, port: opts.port ?? 0 });
  const httpServer = server.httpServer;
  const sockets = new Set<Socket>();
  const timers = new Set<NodeJS.Timeout>();
  let closed = false;

  let connectionsAccepted = 0;
  httpServer.on("connection", (socket: Socket) => {
    connectionsAccepted++;
    sockets.add(socket);
    socket.on("close", () => sockets.delete(socket));
  });

  for (const method of SIMULATED_METHODS) {
    // The wrapper below passes the authenticated username, the credentials as sent and the arrival
    // time as hidden first parameters (requests interleave, so nothing per-request may live outside the call).
    server.on(method, (_error: unknown, params: unknown[], callback: (error: Fault | null, value?: unknown) => void) => {
      const [username, authUser, authPassword, startedAt, ...args] = params as [string, string, string, number, ...unknown[]];
      const auth = { authUser, authPassword, startedAt };
      try {
        const reply = handlers[method](username, args);
        record({ method, username, mac: reply.mac, macs: reply.macs, outcome: reply.outcome, ...auth });
        callback(null, reply.value);
      } catch (error) {
        const invalid = error instanceof InvalidParams;
        record({ method, username, outcome: invalid ? "invalid_params" : "internal_error", ...auth });
        callback(
          invalid
            ? { faultCode: -32602, faultString: `Invalid params: ${error.message}` }
            : { faultCode: -32603, faultString: `Internal error: ${String(error)}` },
        );
      }
    });
  }

  const [xmlrpcListener] = httpServer.listeners("request") as ((req: IncomingMessage | PassThrough, res: ServerResponse) => void)[];
  httpServer.removeAllListeners("request");
  httpServer.on("request", (req: IncomingMessage, res: ServerResponse) => {
    handleRequest(req, res).catch((error: unknown) => {
      if (!res.headersSent) sendText(res, 500, `Simulator error: ${String(error)}`);
      else res.destroy();
    });
  });

  async function handleRequest(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const receivedAt = performance.now();
    const startedAt = Date.now();
    const target = new URL(req.url ?? "/", "http://simulator");
    if (target.pathname.startsWith(CONTROL_PREFIX)) return handleControl(req, res, target.pathname);
    if (target.pathname !== XMLRPC_PATH) return sendText(res, 404, "Not Found");
    if (req.method !== "POST") return sendText(res, 405, "Method Not Allowed");

    const body = await readBody(req);
    const call = await parseMethodCall(body);
    const mac = call && typeof call.params[0] === "string" ? upper(call.params[0]) : undefined;

    const sent = basicCredentials(req.headers.authorization);
    const auth = { startedAt, ...(sent ? { authUser: sent.username, authPassword: sent.password } : {}) };
    const username = sent ? authenticate(sent.username, sent.password) : undefined;
    if (!username) {
      record({ method: call?.method ?? "?", mac, outcome: "auth_failed", ...auth });
      res.setHeader("WWW-Authenticate", 'Basic realm="redirection simulator", charset="UTF-8"');
      return sendText(res, 401, "Unauthorized");
    }
    if (!call) {
      record({ method: "?", username, outcome: "bad_request", ...auth });
      return sendText(res, 400, "Bad Request: not an XML-RPC method call");
    }

    if (serving >= capacity) {
      record({ method: call.method, username, mac, outcome: "throttled", ...auth });
      res.setHeader("Retry-After", "1");
      return sendText(res, 429, "Too Many Requests");
    }
    serving++;
    peakServing = Math.max(peakServing, serving);
    try {
      // The latency knob is the service's time per call: our own parsing counts towards it.
      const remaining = latencyMs - (performance.now() - receivedAt);
      if (remaining > 0) await sleep(remaining);
    } finally {
      serving--;
    }
    if (closed) return;

    // Faults come before the call is applied: a faulted registerPhone registered nothing.
    if (mac !== undefined && faultMacs.has(mac)) {
      const mode = faults.modes[0] ?? "http500";
      record({ method: call.method, username, mac, outcome: `fault:${mode}`, ...auth });
      return injectFault(mode, req, res);
    }
    if (faults.rate > 0 && faults.modes.length > 0 && random() < faults.rate) {
      const mode = faults.modes[Math.min(faults.modes.length - 1, Math.floor(random() * faults.modes.length))];
      record({ method: call.method, username, mac, outcome: `fault:${mode}`, ...auth });
      return injectFault(mode, req, res);
    }

    if (!(SIMULATED_METHODS as readonly string[]).includes(call.method)) {
      record({ method: call.method, username, mac, outcome: "unknown_method", ...auth });
      return sendXml(res, serializer.serializeFault({ faultCode: -32601, faultString: `Method not found: ${call.method}` }));
    }

    const forwarded = new PassThrough();
    xmlrpcListener(forwarded, res);
    forwarded.end(serializer.serializeMethodCall(call.method, [username, sent!.username, sent!.password, startedAt, ...call.params]));
  }

  function injectFault(mode: FaultMode, req: IncomingMessage, res: ServerResponse): void {
    if ((HOSTILE_MODES as readonly string[]).includes(mode)) return sendHostile(mode as HostileMode, res);
    switch (mode) {
      case "http500":
        return sendText(res, 500, "Internal Server Error");
      case "http503":
        return sendText(res, 503, "Service Unavailable");
      case "reset":
        req.socket.destroy();
        return;
      case "hang":
        return; // never answered; close() destroys the socket
      case "fault":
        return sendXml(res, serializer.serializeFault({ faultCode: -32500, faultString: "Simulated server fault" }));
      case "garbage":
        res.writeHead(200, { "Content-Type": "text/html" });
        res.end("<html><body>502 Bad Gateway (simulated garbage)</body>");
        return;
    }
  }

  function sendHostile(mode: HostileMode, res: ServerResponse): void {
    const xml = (body: string | Buffer) => {
      res.writeHead(200, { "Content-Type": "text/xml", "Content-Length": Buffer.byteLength(body) });
      res.end(body);
    };
    switch (mode) {
      case "nested":
        return xml(hostileBodies.nested());
      case "nested_huge":
        return xml(hostileBodies.nestedHuge());
      case "many_elements":
        return xml(hostileBodies.manyElements());
      case "long_fault":
        return xml(hostileBodies.longFault());
      case "entity_bomb":
        return xml(ENTITY_BOMB);
      case "huge_body":
        return xml(hostileBodies.hugeString());
      case "huge_fault":
        return xml(hostileBodies.hugeFault());
      case "wrong_types":
        return xml(WRONG_TYPES);
      case "html_login":
        res.writeHead(200, { "Content-Type": "text/html; charset=utf-8" });
        res.end(LOGIN_PAGE);
        return;
      case "redirect":
        res.writeHead(302, { Location: "http://169.254.169.254/latest/meta-data/", "Content-Type": "text/html" });
        res.end("<html><body>Moved</body></html>");
        return;
      case "non_utf8":
        return xml(Buffer.concat([Buffer.from(OK_REPLY.slice(0, OK_REPLY.indexOf("Ok"))), Buffer.from([0x47, 0x72, 0xfc, 0xdf, 0xe9]), Buffer.from(OK_REPLY.slice(OK_REPLY.indexOf("Ok") + 2))]));
      case "truncated":
        return xml(OK_REPLY.slice(0, Math.floor(OK_REPLY.length / 2)));
      case "binary":
        res.writeHead(200, { "Content-Type": "application/octet-stream" });
        res.end(randomBytes(2048));
        return;
      case "empty":
        return xml("");
      case "echo_ok":
        return xml(OK_REPLY);
      case "drip": {
        res.writeHead(200, { "Content-Type": "text/xml", "Content-Length": Buffer.byteLength(OK_REPLY) });
        let at = 0;
        const timer = setInterval(() => {
          if (at >= OK_REPLY.length || res.destroyed) {
            clearInterval(timer);
            timers.delete(timer);
            if (!res.destroyed) res.end();
            return;
          }
          res.write(OK_REPLY[at++]);
        }, 1_000);
        timers.add(timer);
        res.on("close", () => {
          clearInterval(timer);
          timers.delete(timer);
        });
        return;
      }
      case "never_close":
        res.writeHead(200, { "Content-Type": "text/xml", "Content-Length": Buffer.byteLength(OK_REPLY), Connection: "keep-alive" });
        res.write(OK_REPLY.slice(0, 40));
        return; // the rest never comes; close() destroys the socket
    }
  }

  function basicCredentials(header: string | undefined): { username: string; password: string } | undefined {
    const match = /^Basic\s+([A-Za-z0-9+/=]+)\s*$/i.exec(header ?? "");
    if (!match) return undefined;
    const decoded = Buffer.from(match[1], "base64").toString("utf8");
    const colon = decoded.indexOf(":");
    if (colon < 0) return undefined;
    return { username: decoded.slice(0, colon), password: decoded.slice(colon + 1) };
  }

  function authenticate(username: string, password: string): string | undefined {
    let account = accounts.get(username);
    if (!account && opts.resolveAccount) {
      const resolved = opts.resolveAccount(username, password);
      if (resolved && resolved.username === username) {
        accounts.set(username, resolved);
        account = resolved;
      }
    }
    return account && account.password === password ? account.username : undefined;
  }

  async function handleControl(req: IncomingMessage, res: ServerResponse, pathname: string): Promise<void> {
    const action = pathname.slice(CONTROL_PREFIX.length);
    if (req.method === "GET" && action === "state") {
      // Over HTTP the passwords calls carried are fingerprints: the control interface has no auth.
      const state = simulator.state();
      const calls = state.calls.map(({ authPassword, ...c }) =>
        authPassword === undefined ? c : { ...c, authPasswordSha256: createHash("sha256").update(authPassword).digest("hex") },
      );
      return sendJson(res, 200, { ...state, calls, faults, latencyMs });
    }
    if (req.method === "POST" && action === "reset") {
      simulator.reset();
      return sendJson(res, 200, { ok: true });
    }
    if (req.method === "POST" && action === "faults") {
      let input: unknown;
      try {
        input = JSON.parse((await readBody(req)).toString("utf8") || "{}");
      } catch {
        return sendJson(res, 400, { error: "Body must be JSON" });
      }
      const parsed = FaultsInputSchema.safeParse(input);
      if (!parsed.success) return sendJson(res, 400, { error: z.prettifyError(parsed.error) });
      if (parsed.data.rate !== undefined || parsed.data.modes !== undefined) {
        simulator.setFaults({ rate: parsed.data.rate ?? faults.rate, modes: parsed.data.modes ?? faults.modes });
      }
      if (parsed.data.latencyMs !== undefined) simulator.setLatency(parsed.data.latencyMs);
      return sendJson(res, 200, { faults, latencyMs });
    }
    return sendJson(res, 404, { error: `Unknown control action ${req.method} ${pathname}` });
  }

  function sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        timers.delete(timer);
        resolve();
      }, ms);
      timers.add(timer);
    });
  }

  await new Promise<void>((resolve, reject) => {
    httpServer.once("error", reject);
    httpServer.once("listening", () => {
      httpServer.off("error", reject);
      resolve();
    });
  });

  const address = httpServer.address();
  if (!address || typeof address === "string") throw new Error("Simulator did not get a TCP address");
  const hostForUrl = host.includes(":") ? `[${host}]` : host;
  const base = `${opts.tls ? "https" : "http"}://${hostForUrl}:${address.port}`;

  const simulator: Simulator = {
    url: base + XMLRPC_PATH,
    controlUrl: base + CONTROL_PREFIX,
    port: address.port,
    async close() {
      if (closed) return;
      closed = true;
      for (const timer of timers) clearTimeout(timer);
      timers.clear();
      await new Promise<void>((resolve) => {
        httpServer.close(() => resolve());
        for (const socket of sockets) socket.destroy();
      });
    },
    state() {
      return structuredClone({ phones: Object.fromEntries(phones), calls });
    },
    setFaults(next) {
      faults = validateFaults({ rate: next.rate, modes: next.modes ?? faults.modes });
    },
    setLatency(ms) {
      if (!Number.isFinite(ms) || ms < 0) throw new Error(`Latency must be a non-negative number, got ${ms}`);
      latencyMs = ms;
    },
    reset() {
      phones.clear();
      seed();
      calls = [];
      faults = initialFaults;
      latencyMs = initialLatency;
      persist();
    },
    peakInFlight() {
      return peakServing;
    },
    resetPeak() {
      peakServing = serving;
    },
    callCount(method, mac) {
      const wanted = mac?.toUpperCase();
      return calls.filter(
        (c) => (method === undefined || c.method === method) && (wanted === undefined || c.mac === wanted || c.macs?.includes(wanted)),
      ).length;
    },
    connectionCount: () => connectionsAccepted,
  };
  return simulator;
}

type HostileMode = (typeof HOSTILE_MODES)[number];

const OK_REPLY = serializer.serializeMethodResponse([true, "Ok"]);
const WRONG_TYPES =
  '<?xml version="1.0"?><methodResponse><params><param><value><array><data>' +
  "<value><int>true</int></value><value><string>Ok</string></value></data></array></value></param></params></methodResponse>";
const ENTITY_BOMB =
  '<?xml version="1.0"?>\n<!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol1 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">' +
  '<!ENTITY lol2 "&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;"><!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">' +
  '<!ENTITY xxe SYSTEM "file:///etc/passwd">]>\n' +
  "<methodResponse><params><param><value><array><data><value><boolean>1</boolean></value>" +
  "<value><string>&lol3;&xxe;</string></value></data></array></value></param></params></methodResponse>";
const LOGIN_PAGE =
  '<!DOCTYPE html><html><head><title>Sign in</title></head><body><form method="post" action="/login">' +
  '<input name="username"><input type="password" name="password"><input type="hidden" name="csrf" value="internal-secret-token">' +
  "<button>Sign in</button></form>" +
  "<!-- " +
  "x".repeat(5_000) +
  " --></body></html>";

// Built on first use and kept as bytes: they are large, and re-encoding them per call would make
// the simulator, not the client under test, the bottleneck of a load run.
const hostileBodies = (() => {
  const cache = new Map<string, Buffer>();
  const once = (key: string, build: () => string) => () => {
    let v = cache.get(key);
    if (v === undefined) cache.set(key, (v = Buffer.from(build(), "utf8")));
    return v;
  };
  const FIVE_MB = 5 * 1024 * 1024;
  return {
    nested: once("nested", () => '<?xml version="1.0"?><methodResponse><params><param>' + "<value>".repeat(9_000)),
    nestedHuge: once("nestedHuge", () => '<?xml version="1.0"?><methodResponse><params><param>' + "<value>".repeat(1_000_000)),
    manyElements: once("many", () => '<?xml version="1.0"?><methodResponse><params><param><value><array><data>' + "<nil/>".repeat(10_500) + "</data></array></value></param></params></methodResponse>"),
    hugeString: once("huge", () => serializer.serializeMethodResponse([true, "x".repeat(FIVE_MB)])),
    hugeFault: once("fault", () => rawFault("y".repeat(FIVE_MB))),
    // Character references smuggle C0 controls past XML's own rules (a lenient parser accepts them).
    longFault: once("longFault", () => rawFault(("Fault&#7;&#27;[31m \u0085\u202eevil\u202c\u2066 " + "z".repeat(100)).repeat(400))),
  };
})();

function rawFault(text: string): string {
  return (
    '<?xml version="1.0"?><methodResponse><fault><value><struct>' +
    "<member><name>faultCode</name><value><int>1</int></value></member>" +
    `<member><name>faultString</name><value><string>${text}</string></value></member>` +
    "</struct></value></fault></methodResponse>"
  );
}

function validateFaults(f: { rate: number; modes: FaultMode[] }): SimulatorFaults {
  if (!(f.rate >= 0 && f.rate <= 1)) throw new Error(`Fault rate must be between 0 and 1, got ${f.rate}`);
  for (const m of f.modes) {
    if (!(FAULT_MODES as readonly string[]).includes(m)) throw new Error(`Unknown fault mode ${m}`);
  }
  return { rate: f.rate, modes: [...f.modes] };
}

function readBody(req: IncomingMessage, limit = 64 * 1024 * 1024): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on("data", (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) {
        req.destroy();
        reject(new Error("request body too large"));
      } else chunks.push(chunk);
    });
    req.on("end", () => resolve(Buffer.concat(chunks)));
    req.on("error", reject);
  });
}

function parseMethodCall(body: Buffer): Promise<{ method: string; params: unknown[] } | undefined> {
  return new Promise((resolve) => {
    let done = false;
    const stream = new PassThrough();
    new Deserializer().deserializeMethodCall(stream, (error, method, params) => {
      if (done) return;
      done = true;
      resolve(error || !method ? undefined : { method, params: params ?? [] });
    });
    stream.end(body);
  });
}

function sendText(res: ServerResponse, status: number, text: string): void {
  res.writeHead(status, { "Content-Type": "text/plain; charset=utf-8" });
  res.end(text);
}

function sendXml(res: ServerResponse, xml: string): void {
  res.writeHead(200, { "Content-Type": "text/xml" });
  res.end(xml);
}

function sendJson(res: ServerResponse, status: number, value: unknown): void {
  res.writeHead(status, { "Content-Type": "application/json" });
  res.end(JSON.stringify(value));
}
