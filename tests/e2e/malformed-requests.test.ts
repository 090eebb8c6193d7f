// Malformed requests against a real `next start`, sent as raw HTTP: each gets a clear 4xx (or a
// normal answer), never a 500, and the server keeps serving. Early refusals live in proxy.ts.
import net from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createPrisma, type Db } from "../../lib/db-core";
import { createCustomer, createOrganization, createUser } from "../factories";
import { startPortal, type PortalServer } from "./portal-server";
import { actionIds, callAction, rawRequest, signInRaw, type RawRequest } from "./raw-http";

let portal: PortalServer;
let db: Db;
let cookie: string;
let customerId: string;
let ids: Record<string, string>;

beforeAll(async () => {
  portal = await startPortal();
  db = createPrisma(portal.databaseUrl);
  const org = await createOrganization(db, { name: "Malformed Inc" });
  const user = await createUser(db, org.id, { email: "admin@malformed.example" });
  customerId = (await createCustomer(db, org.id, { name: "Target", number: "T-1" })).id;
  cookie = await signInRaw(portal.baseUrl, user.email, user.password);
  ids = actionIds();
});

afterAll(async () => {
  await db?.$disconnect();
  await portal?.stop();
});

const send = (req: RawRequest) => rawRequest(portal.baseUrl, req);

/** `send`, tried up to 5 times while the connection is reset before the answer could be read. */
async function sendPastReset(req: RawRequest) {
  for (let attempt = 1; ; attempt++) {
    try {
      return await send(req);
    } catch (error) {
      if (attempt >= 5 || (error as NodeJS.ErrnoException).code !== "ECONNRESET") throw error;
    }
  }
}
const actionHeaders = (extra: Record<string, string> = {}) => ({
  Origin: portal.baseUrl,
  Cookie: cookie,
  Accept: "text/x-component",
  "Next-Action": ids.createCustomerAction,
  ...extra,
});

describe("malformed server-action requests", () => {
  it("a garbage Next-Action id: 400; a well-formed unknown one: a 4xx", async () => {
    const res = await send({
      method: "POST",
      path: "/customers/new",
      headers: actionHeaders({ "Next-Action": "../../etc/passwd", "Content-Type": "text/plain" }),
      body: "[]",
    });
    expect(res.status).toBe(400);
    expect(res.body).toMatch(/unknown action/i);
    const unknown = await send({
      method: "POST",
      path: "/customers/new",
      headers: actionHeaders({ "Next-Action": "7f" + "0".repeat(40), "Content-Type": "text/plain" }),
      body: "[]",
    });
    expect(unknown.status).toBeGreaterThanOrEqual(400);
    expect(unknown.status).toBeLessThan(500);
  });

  it("broken multipart bodies: a 4xx", async () => {
    const before = await db.customer.count();
    for (const body of ["garbage", "--x\r\nContent-Disposition: form-data; name=\"0\"\r\n\r\n[{},\"$K1\"", "--x--\r\n", ""]) {
      const res = await send({
        method: "POST",
        path: "/customers/new",
        headers: actionHeaders({ "Content-Type": "multipart/form-data; boundary=x" }),
        body,
      });
      expect(res.status, JSON.stringify(body)).toBeGreaterThanOrEqual(400);
      expect(res.status, JSON.stringify(body)).toBeLessThan(500);
    }
    const noBoundary = await send({
      method: "POST",
      path: "/customers/new",
      headers: actionHeaders({ "Content-Type": "multipart/form-data" }),
      body: "x",
    });
    expect(noBoundary.status).toBe(400);
    expect(await db.customer.count()).toBe(before);
  });

  it("garbage in a text/plain action body: 400 when it is no JSON, a clear answer when it is no form", async () => {
    const before = await db.customer.count();
    for (const body of ["{", "[", "\u0000\u0001", "[1,", "null", '"x"', "{}"]) {
      const res = await send({ method: "POST", path: "/customers/new", headers: actionHeaders({ "Content-Type": "text/plain;charset=UTF-8" }), body });
      expect(res.status, JSON.stringify(body)).toBe(400);
    }
    for (const body of ['["$K1"]', '[{}, 1]', '[{}, "x"]', "[]", '["$@99"]']) {
      const res = await send({ method: "POST", path: "/customers/new", headers: actionHeaders({ "Content-Type": "text/plain;charset=UTF-8" }), body });
      expect(res.status, JSON.stringify(body)).toBeLessThan(500);
    }
    expect(await db.customer.count()).toBe(before);
  });

  it("a content type no browser sends to an action: 415", async () => {
    for (const type of ["application/json", "application/xml", "image/png"]) {
      const res = await send({ method: "POST", path: "/customers/new", headers: actionHeaders({ "Content-Type": type }), body: "{}" });
      expect(res.status, type).toBe(415);
    }
  });

  it("a foreign, null or missing Origin: 403", async () => {
    for (const origin of ["https://evil.example", "null", "http://127.0.0.1.evil.example", "not a url", undefined]) {
      const headers: Record<string, string> = actionHeaders({ "Content-Type": "text/plain" });
      if (origin === undefined) delete headers.Origin;
      else headers.Origin = origin;
      const res = await send({ method: "POST", path: "/customers/new", headers, body: "[]" });
      expect(res.status, String(origin)).toBe(403);
    }
  });

  it("a form post with 200 000 fields: 413, nothing written", async () => {
    const before = await db.customer.count();
    const fields: [string, string][] = [["name", "Flood"], ["number", "F-1"]];
    for (let i = 0; i < 200_000; i++) fields.push([`f${i}`, "x"]);
    const res = await callAction(portal.baseUrl, { page: "/customers/new", actionId: ids.createCustomerAction, cookie, fields, timeoutMs: 60_000 });
    expect(res.status).toBe(413);
    const urlencoded = await send({
      method: "POST",
      path: "/customers/new",
      headers: actionHeaders({ "Content-Type": "application/x-www-form-urlencoded" }),
      body: fields.map(([k, v]) => `${k}=${v}`).join("&"),
      timeoutMs: 60_000,
    });
    expect(urlencoded.status).toBe(413);
    expect(urlencoded.body).toMatch(/too many form fields/i);
    expect(await db.customer.count()).toBe(before);
  });
});

describe("bodies, paths and headers", () => {
  it("a body over the limit: 413, and the next request on the same keep-alive connection works", async () => {
    const { port } = new URL(portal.baseUrl);
    const size = 7 * 1024 * 1024;
    const replies = await new Promise<string>((resolve, reject) => {
      const socket = net.connect(Number(port), "127.0.0.1");
      let text = "";
      socket.setTimeout(30_000, () => reject(new Error(`timed out; got ${text.slice(0, 300)}`)));
      socket.on("data", (d) => {
        text += d.toString("latin1");
        if ((text.match(/HTTP\/1\.1 /g) ?? []).length >= 2 && /"status":"ok"|ok/.test(text.split("HTTP/1.1 ")[2] ?? "")) {
          socket.end();
          resolve(text);
        }
      });
      socket.on("error", reject);
      socket.on("close", () => resolve(text));
      socket.write(
        `POST /import HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nOrigin: ${portal.baseUrl}\r\nCookie: ${cookie}\r\n` +
          `Next-Action: ${ids.fileImportAction}\r\nContent-Type: multipart/form-data; boundary=x\r\n` +
          `Content-Length: ${size}\r\nConnection: keep-alive\r\n\r\n`,
      );
      socket.write(Buffer.alloc(size, "a"));
      socket.write(`GET /api/health HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nConnection: close\r\n\r\n`);
    });
    const statuses = [...replies.matchAll(/HTTP\/1\.1 (\d{3})/g)].map((m) => Number(m[1]));
    expect(statuses).toEqual([413, 200]);
    expect(replies).toMatch(/too large/);
  });

  it("a chunked body without Content-Length: 411", async () => {
    const res = await send({
      method: "POST",
      path: "/customers/new",
      headers: actionHeaders({ "Content-Type": "text/plain", "Transfer-Encoding": "chunked" }),
      body: "[]",
    });
    expect(res.status).toBe(411);
  });

  it("bad percent-encoding in a path: 400; oversized headers and cookies: 431; the server keeps serving", async () => {
    for (const p of ["/customers/%E0%A4%A", "/customers/%", "/phones/%ZZ", "/%C0%AF", `/api/customers/%E0%A4%A/sync-status`]) {
      const res = await send({ path: p, headers: { Cookie: cookie } });
      expect(res.status, p).toBe(400);
    }
    // Node's own header limit (16 KB) answers these before Next. It closes the connection right after
    // its 431 with part of the request unread, so the kernel may send a reset that overtakes the answer
    // (ECONNRESET on a busy machine): such a try is repeated; a server that never answers 431 still fails.
    const big = await sendPastReset({ path: "/login", headers: { "X-Filler": "a".repeat(40_000) } });
    expect(big.status).toBe(431);
    const cookies = await sendPastReset({ path: "/customers", headers: { Cookie: `${cookie}; junk=${"b".repeat(40_000)}` } });
    expect(cookies.status).toBe(431);
    expect((await send({ path: "/api/health" })).status).toBe(200);
  });

  it("a NUL character (%00) in a path or a query: 400 with a sentence, never a database error", async () => {
    for (const p of ["/customers/%00", "/phones?q=1%00", "/customers?q=%00", "/audit?q=a%00b", "/api/customers/choices?q=%00"]) {
      const res = await send({ path: p, headers: { Cookie: cookie } });
      expect(res.status, p).toBe(400);
      expect(res.body, p).toContain("NUL character");
    }
    expect((await send({ path: "/customers?q=100%25", headers: { Cookie: cookie } })).status).toBe(200);
  });

  it("invalid JSON and wrong bodies to route handlers: a 4xx", async () => {
    const json = { "Content-Type": "application/json" };
    for (const [path, body] of [
      ["/api/auth/callback/credentials", "{"],
      ["/api/auth/callback/credentials", '{"email": ['],
      ["/api/auth/signin/credentials", "\u0000"],
      ["/api/auth/signout", "[1,2"],
      ["/api/health", "{"],
      [`/api/customers/${customerId}/sync-status`, "{"],
      ["/phones/export", "{"],
    ] as const) {
      const res = await send({ method: "POST", path, headers: { ...json, Cookie: cookie, Origin: portal.baseUrl }, body });
      expect(res.status, `${path} ${body}`).toBeGreaterThanOrEqual(400);
      expect(res.status, `${path} ${body}`).toBeLessThan(500);
    }
  });

  it("HEAD, OPTIONS, PUT, DELETE and PATCH on pages and routes: never a 5xx", async () => {
    const paths = ["/", "/login", "/customers", `/customers/${customerId}`, "/api/health", `/api/customers/${customerId}/sync-status`, "/phones/export", "/api/auth/session", "/no-such-page"];
    for (const path of paths) {
      for (const method of ["HEAD", "OPTIONS", "PUT", "DELETE", "PATCH"]) {
        const hasBody = method === "PUT" || method === "PATCH";
        const res = await send({ method, path, headers: { Cookie: cookie, ...(hasBody ? { "Content-Length": "2" } : {}) }, body: hasBody ? "{}" : undefined });
        expect(res.status, `${method} ${path}`).toBeLessThan(500);
        if (!path.startsWith("/api/") && !path.startsWith("/phones/export") && method !== "HEAD") {
          expect(res.status, `${method} ${path}`).toBe(405);
          expect(res.headers.allow).toBe("GET, HEAD, POST");
        }
      }
    }
  });
});
