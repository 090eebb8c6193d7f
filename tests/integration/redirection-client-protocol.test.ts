// The client against a crafted raw HTTP(S) server: request format, odd statuses, wrong reply shapes, TLS.
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import http from "node:http";
import https from "node:https";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import serializer from "xmlrpc/lib/serializer.js";
import {
  basicAuthorization,
  checkPhone,
  closeAgents,
  deregisterPhone,
  deregisterPhoneList,
  echo,
  getPhoneRedirection,
  listPhones,
  registerPhone,
  registerPhoneList,
} from "@/lib/redirection/client";
import type { RdsAccount } from "@/lib/redirection/types";

type Seen = { method?: string; url?: string; headers: http.IncomingHttpHeaders; body: string };
type Answer = { status?: number; body: string; contentType?: string };

let server: http.Server;
let base: string;
let answer: Answer;
let seen: Seen[] = [];

const respond = (value: unknown): Answer => ({ body: serializer.serializeMethodResponse(value) });

function handler(req: http.IncomingMessage, res: http.ServerResponse) {
  const chunks: Buffer[] = [];
  req.on("data", (c: Buffer) => chunks.push(c));
  req.on("end", () => {
    seen.push({ method: req.method, url: req.url, headers: req.headers, body: Buffer.concat(chunks).toString("utf8") });
    res.writeHead(answer.status ?? 200, { "Content-Type": answer.contentType ?? "text/xml" });
    res.end(answer.body);
  });
}

beforeAll(async () => {
  server = http.createServer(handler);
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  closeAgents();
  server.closeAllConnections();
  await new Promise((r) => server.close(r));
});
beforeEach(() => {
  seen = [];
  answer = respond([true, "Ok"]);
});

const account = (over: Partial<RdsAccount> = {}): RdsAccount => ({
  url: `${base}/xmlrpc/`,
  username: "user",
  password: "p:a@ss%ü",
  timeoutMs: 3_000,
  ...over,
});

describe("request format", () => {
  it("POSTs text/xml to the URL verbatim with a UTF-8 Basic header", async () => {
    const r = await registerPhone(account({ url: `${base}/some/path/?tenant=a&x=1` }), "000413A1B2C3", "https://p.example/{mac}?a=1&b=<2>");
    expect(r.kind).toBe("ok");
    const req = seen[0];
    expect(req.method).toBe("POST");
    expect(req.url).toBe("/some/path/?tenant=a&x=1");
    expect(req.headers["content-type"]).toBe("text/xml");
    expect(req.headers.authorization).toBe("Basic " + Buffer.from("user:p:a@ss%ü", "utf8").toString("base64"));
    expect(req.headers.authorization).toBe(basicAuthorization("user", "p:a@ss%ü"));
    expect(req.body).toContain("<methodName>redirect.registerPhone</methodName>");
    // Plain XML-escaped text, no CDATA, no URL encoding: the phone substitutes the literal {mac}.
    expect(req.body).toContain("<string>https://p.example/{mac}?a=1&amp;b=&lt;2&gt;</string>");
    expect(req.body).not.toContain("CDATA");
  });

  it("listPhones omits the URL parameter unless given", async () => {
    answer = respond([]);
    await listPhones(account(), "snomD785");
    await listPhones(account(), "snomD785", "https://p.example/{mac}");
    expect(seen[0].body.match(/<param>/g)).toHaveLength(1);
    expect(seen[1].body.match(/<param>/g)).toHaveLength(2);
    expect(seen[1].body).toContain("<string>https://p.example/{mac}</string>");
  });

  it("sends MAC lists as arrays and echo as network.echo", async () => {
    answer = respond([true, true]);
    await registerPhoneList(account(), ["000413000001", "000413000002"], "http://x/");
    expect(seen[0].body).toMatch(/<array><data><value><string>000413000001<\/string><\/value><value><string>000413000002<\/string>/);
    answer = respond("ping");
    await echo(account(), "ping");
    expect(seen[1].body).toContain("<methodName>network.echo</methodName>");
  });
});

describe("reply shapes", () => {
  const mac = "000413A1B2C3";
  const cases: [string, unknown, () => Promise<{ kind: string }>, string][] = [
    ["[true] for registerPhone", [true], () => registerPhone(account(), mac, "http://x/"), "protocol"],
    ["a bare string for registerPhone", "Ok", () => registerPhone(account(), mac, "http://x/"), "protocol"],
    ["a struct for checkPhone", { ok: true }, () => checkPhone(account(), mac), "protocol"],
    ["[false, weird] for deregisterPhone", [false, "weird"], () => deregisterPhone(account(), mac), "protocol"],
    ["[false] alone", [false], () => checkPhone(account(), mac), "protocol"],
    ["[1, Ok] (int, not boolean)", [1, "Ok"], () => checkPhone(account(), mac), "protocol"],
    ["2 elements for getPhoneRedirection", [true, "Company"], () => getPhoneRedirection(account(), mac), "protocol"],
    ["a list with a non-string", ["000413000001", 5], () => listPhones(account(), "snomD785"), "protocol"],
    ["a struct for listPhones", { macs: [] }, () => listPhones(account(), "snomD785"), "protocol"],
    ["[true] for registerPhoneList", [true], () => registerPhoneList(account(), [mac], "http://x/"), "protocol"],
    ["a string for deregisterPhoneList", "done", () => deregisterPhoneList(account(), [mac]), "protocol"],
    ["[true, OK] upper case", [true, "OK"], () => registerPhone(account(), mac, "http://x/"), "ok"],
    ["error without prefix", [false, "owned_by_other_user"], () => registerPhone(account(), mac, "http://x/"), "owned_by_other_user"],
    ["error in other case", [false, "ERROR:No_Such_Mac"], () => checkPhone(account(), mac), "no_such_mac"],
    ["error with a space", [false, "Error: malformed_url"], () => registerPhone(account(), mac, "x"), "malformed_url"],
    ["error from listPhones", [false, "Error:malformed_mac"], () => listPhones(account(), "x"), "malformed_mac"],
    ["error from a bulk call", [false, "Error:malformed_url"], () => registerPhoneList(account(), [mac], "x"), "malformed_url"],
  ];
  for (const [name, value, call, kind] of cases) {
    it(`${name} -> ${kind}`, async () => {
      answer = respond(value);
      const r = await call();
      expect(r.kind).toBe(kind);
    });
  }

  it("getPhoneRedirection maps element 1 to company and element 2 to url, empty url allowed", async () => {
    answer = respond([true, "Owner Co", ""]);
    expect(await getPhoneRedirection(account(), "000413A1B2C3")).toMatchObject({ kind: "ok", data: { company: "Owner Co", url: "" } });
    answer = respond([true, "Owner Co", "https://p/{mac}"]);
    expect(await getPhoneRedirection(account(), "000413A1B2C3")).toMatchObject({ kind: "ok", data: { company: "Owner Co", url: "https://p/{mac}" } });
  });

  it("a bulk reply is returned whole", async () => {
    answer = respond([false, true, false]);
    expect(await deregisterPhoneList(account(), ["a", "b"])).toMatchObject({ kind: "ok", data: [false, true, false] });
  });

  it("the raw excerpt is capped at 500 characters", async () => {
    answer = respond(["x".repeat(2_000)]);
    const r = await listPhones(account(), "snomD785");
    expect(r.kind).toBe("ok");
    expect(r.raw.excerpt).toHaveLength(500);
  });
});

describe("HTTP statuses and bodies", () => {
  const statusCases: [number, string][] = [
    [401, "auth_failed"],
    [403, "auth_failed"],
    [429, "transient"],
    [500, "transient"],
    [502, "transient"],
    [503, "transient"],
    [404, "protocol"],
    [302, "protocol"],
    [400, "protocol"],
  ];
  for (const [status, kind] of statusCases) {
    it(`HTTP ${status} -> ${kind}`, async () => {
      answer = { status, body: `status ${status} page`, contentType: "text/html" };
      const r = await echo(account(), "ping");
      // Not an XML-RPC reply: history keeps a description, never the page itself.
      expect(r).toMatchObject({ kind, raw: { status, excerpt: "HTML page, 15 bytes, text/html" } });
    });
  }

  it("a 401 carrying valid XML is still auth_failed", async () => {
    answer = { ...respond([true, "Ok"]), status: 401 };
    expect((await checkPhone(account(), "000413A1B2C3")).kind).toBe("auth_failed");
  });

  it("non-XML, empty and truncated bodies with 200 are protocol", async () => {
    const cases: [string, string][] = [
      ["Hello", "text, 5 bytes, text/xml: “Hello”"],
      ["", "empty body"],
      ['<?xml version="1.0"?><methodResponse><params>', '<?xml version="1.0"?><methodResponse><params>'],
      ["<html><body>proxy</body></html>", "HTML page, 31 bytes, text/xml"],
    ];
    for (const [body, excerpt] of cases) {
      answer = { body };
      const r = await checkPhone(account(), "000413A1B2C3");
      expect(r.kind).toBe("protocol");
      expect(r.raw.excerpt).toBe(excerpt);
    }
  });

  it("a fault is protocol with its code and text", async () => {
    answer = { body: serializer.serializeFault({ faultCode: 42, faultString: "no such method" }) };
    expect(await echo(account(), "x")).toMatchObject({ kind: "protocol", message: "Fault 42: no such method" });
  });
});

describe("TLS", () => {
  let tlsServer: https.Server;
  let tlsUrl: string;
  let caPem: string;

  beforeAll(async () => {
    const dir = mkdtempSync(path.join(tmpdir(), "rds-tls-"));
    const run = (...args: string[]) => execFileSync("openssl", args, { cwd: dir, stdio: "pipe" });
    run("req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", "ca.key", "-out", "ca.pem", "-days", "2", "-subj", "/CN=Test CA");
    run("req", "-newkey", "rsa:2048", "-nodes", "-keyout", "srv.key", "-out", "srv.csr", "-subj", "/CN=localhost");
    writeFileSync(path.join(dir, "ext.cnf"), "subjectAltName=DNS:localhost,IP:127.0.0.1\n");
    run("x509", "-req", "-in", "srv.csr", "-CA", "ca.pem", "-CAkey", "ca.key", "-CAcreateserial", "-out", "srv.pem", "-days", "2", "-extfile", "ext.cnf");
    caPem = readFileSync(path.join(dir, "ca.pem"), "utf8");
    tlsServer = https.createServer(
      { key: readFileSync(path.join(dir, "srv.key")), cert: readFileSync(path.join(dir, "srv.pem")) },
      handler,
    );
    await new Promise<void>((r) => tlsServer.listen(0, "127.0.0.1", r));
    tlsUrl = `https://localhost:${(tlsServer.address() as AddressInfo).port}/xmlrpc/`;
  });
  afterAll(async () => {
    tlsServer.closeAllConnections();
    await new Promise((r) => tlsServer.close(r));
  });

  it("refuses an untrusted certificate", async () => {
    const r = await echo(account({ url: tlsUrl }), "x");
    expect(r.kind).toBe("protocol");
    expect("message" in r && r.message).toMatch(/TLS verification failed \(UNABLE_TO_VERIFY_LEAF_SIGNATURE\)/);
    expect(seen).toHaveLength(0);
  });

  it("trusts a configured extra CA", async () => {
    answer = respond("x");
    expect(await echo(account({ url: tlsUrl, ca: caPem }), "x")).toMatchObject({ kind: "ok", data: "x" });
    expect(seen[0].headers.authorization).toBe(basicAuthorization("user", "p:a@ss%ü"));
  });
});
