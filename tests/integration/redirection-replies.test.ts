// Replies as real services send them: other character sets, <nil/> where snom's client takes a
// value as optional, and keep-alive connections left in a bad state by a refused call. Raw
// node:http and node:net servers on loopback.
import http from "node:http";
import net, { type AddressInfo } from "node:net";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { checkPhone, closeAgents, echo, getPhoneRedirection } from "@/lib/redirection/client";
import type { RdsAccount } from "@/lib/redirection/types";

const account = (url: string): RdsAccount => ({ url, username: "user", password: "pw", timeoutMs: 3_000 });

const redirectionReply = (company: string, declaration = '<?xml version="1.0"?>') =>
  `${declaration}<methodResponse><params><param><value><array><data>` +
  `<value><boolean>1</boolean></value>${company}<value><string>https://prov.example.net/{mac}</string></value>` +
  `</data></array></value></param></params></methodResponse>`;

describe("character sets", () => {
  let server: http.Server;
  let url: string;
  let reply: { body: Buffer; contentType: string };

  beforeAll(async () => {
    server = http.createServer((req, res) => {
      req.resume();
      req.on("end", () => {
        res.writeHead(200, { "Content-Type": reply.contentType });
        res.end(reply.body);
      });
    });
    await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/xmlrpc/`;
  });
  afterAll(async () => {
    closeAgents();
    server.closeAllConnections();
    await new Promise((r) => server.close(r));
  });

  const company = (name: string) => `<value><string>${name}</string></value>`;

  it("ISO-8859-1 by the XML declaration: “Müller Telekom”, not “M�ller”", async () => {
    reply = {
      body: Buffer.from(
        redirectionReply(company("Müller Telekom"), '<?xml version="1.0" encoding="ISO-8859-1"?>'),
        "latin1",
      ),
      contentType: "text/xml",
    };
    expect(reply.body.includes(Buffer.from([0x4d, 0xfc, 0x6c]))).toBe(true); // "Mül" as Latin-1 bytes
    expect(await getPhoneRedirection(account(url), "000413A1B2C3")).toMatchObject({
      kind: "ok",
      data: { company: "Müller Telekom", url: "https://prov.example.net/{mac}" },
    });
  });

  it("ISO-8859-1 by the Content-Type charset only", async () => {
    reply = {
      body: Buffer.from(redirectionReply(company("Müller Telekom")), "latin1"),
      contentType: "text/xml; charset=ISO-8859-1",
    };
    expect(await getPhoneRedirection(account(url), "000413A1B2C3")).toMatchObject({
      kind: "ok",
      data: { company: "Müller Telekom" },
    });
  });

  it("windows-1252 by the XML declaration and by the Content-Type charset (€ is 0x80 there)", async () => {
    const body = Buffer.concat([
      Buffer.from(redirectionReply(company("Ünal & Søn – Telefonie "), "").split("Ünal")[0], "latin1"),
      Buffer.from([
        0xdc, 0x6e, 0x61, 0x6c, 0x20, 0x26, 0x61, 0x6d, 0x70, 0x3b, 0x20, 0x53, 0xf8, 0x6e, 0x20, 0x96, 0x20, 0x80,
        0x20, 0x54, 0x65, 0x6c,
      ]),
      Buffer.from(
        "</string></value><value><string>https://prov.example.net/{mac}</string></value></data></array></value></param></params></methodResponse>",
        "latin1",
      ),
    ]);
    reply = {
      body: Buffer.concat([Buffer.from('<?xml version="1.0" encoding="windows-1252"?>'), body]),
      contentType: "text/xml",
    };
    expect(await getPhoneRedirection(account(url), "000413A1B2C3")).toMatchObject({
      kind: "ok",
      data: { company: "Ünal & Søn – € Tel" },
    });
    reply = { body, contentType: 'text/xml; charset="windows-1252"' };
    expect(await getPhoneRedirection(account(url), "000413A1B2C3")).toMatchObject({
      kind: "ok",
      data: { company: "Ünal & Søn – € Tel" },
    });
  });

  it("UTF-8 declared (or nothing declared) must be valid UTF-8; the same bytes declared Latin-1 decode", async () => {
    const latin1 = Buffer.from(redirectionReply(company("Müller Telekom")), "latin1");
    for (const [declaration, contentType] of [
      ["", "text/xml"],
      ['<?xml version="1.0" encoding="UTF-8"?>', "text/xml"],
      ["", "text/xml; charset=utf-8"],
    ]) {
      reply = { body: Buffer.concat([Buffer.from(declaration), latin1]), contentType };
      expect(await getPhoneRedirection(account(url), "000413A1B2C3")).toMatchObject({
        kind: "protocol",
        reason: "not_utf8",
        message: "Reply is not valid UTF-8 text",
      });
    }
    reply = {
      body: Buffer.from(redirectionReply(company("Müller Telekom")), "utf8"),
      contentType: "text/xml; charset=utf-8",
    };
    expect(await getPhoneRedirection(account(url), "000413A1B2C3")).toMatchObject({
      kind: "ok",
      data: { company: "Müller Telekom" },
    });
    reply = { body: latin1, contentType: "text/xml; charset=latin1" };
    expect(await getPhoneRedirection(account(url), "000413A1B2C3")).toMatchObject({
      kind: "ok",
      data: { company: "Müller Telekom" },
    });
  });

  it("an unknown character set is a clear protocol error", async () => {
    reply = {
      body: Buffer.from(redirectionReply(company("Müller"), '<?xml version="1.0" encoding="x-klingon-8"?>'), "latin1"),
      contentType: "text/xml",
    };
    expect(await getPhoneRedirection(account(url), "000413A1B2C3")).toMatchObject({
      kind: "protocol",
      reason: "charset",
      message: "Reply is in an unknown character set “x-klingon-8”",
    });
  });

  it("<nil/> or an empty value as the owner company reads as no company; <nil/> as a status text is ok", async () => {
    for (const empty of ["<value><nil/></value>", "<value></value>", "<value><string></string></value>"]) {
      reply = { body: Buffer.from(redirectionReply(empty)), contentType: "text/xml" };
      expect(await getPhoneRedirection(account(url), "000413A1B2C3")).toMatchObject({
        kind: "ok",
        data: { company: "", url: "https://prov.example.net/{mac}" },
      });
    }
    reply = {
      body: Buffer.from(
        '<?xml version="1.0"?><methodResponse><params><param><value><array><data><value><boolean>1</boolean></value><value><nil/></value></data></array></value></param></params></methodResponse>',
      ),
      contentType: "text/xml",
    };
    expect(await checkPhone(account(url), "000413A1B2C3")).toMatchObject({ kind: "ok" });
  });
});

// A server that answers a refused call as soon as it has the headers, without reading the request
// body, and keeps the connection open: the body it never read is taken as the next request's start.
describe("keep-alive after a refused call", () => {
  let server: net.Server;
  let url: string;
  let refuseWith: { status: string; body: string } | null;
  const sockets = new Set<net.Socket>();

  const okReply =
    '<?xml version="1.0"?><methodResponse><params><param><value><string>x</string></value></param></params></methodResponse>';

  beforeAll(async () => {
    server = net.createServer((socket) => {
      sockets.add(socket);
      socket.on("close", () => sockets.delete(socket));
      let buffer = Buffer.alloc(0);
      socket.on("data", (chunk) => {
        buffer = Buffer.concat([buffer, chunk]);
        for (;;) {
          const end = buffer.indexOf("\r\n\r\n");
          if (end < 0) return;
          const head = buffer.subarray(0, end).toString("latin1");
          if (!/^POST \/xmlrpc\/ HTTP\/1\.1\r\n/.test(head)) {
            socket.end("HTTP/1.1 400 Bad Request\r\nContent-Length: 11\r\nConnection: close\r\n\r\nBad Request");
            return;
          }
          const length = Number(/content-length:\s*(\d+)/i.exec(head)?.[1] ?? 0);
          if (refuseWith) {
            const { status, body } = refuseWith;
            refuseWith = null;
            buffer = buffer.subarray(end + 4); // the request body stays unread
            socket.write(
              `HTTP/1.1 ${status}\r\nContent-Type: text/plain\r\nContent-Length: ${body.length}\r\nConnection: keep-alive\r\n\r\n${body}`,
            );
            continue;
          }
          if (buffer.length < end + 4 + length) return;
          buffer = buffer.subarray(end + 4 + length);
          socket.write(
            `HTTP/1.1 200 OK\r\nContent-Type: text/xml\r\nContent-Length: ${okReply.length}\r\nConnection: keep-alive\r\n\r\n${okReply}`,
          );
        }
      });
    });
    await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/xmlrpc/`;
  });
  afterEach(() => closeAgents());
  afterAll(async () => {
    for (const s of sockets) s.destroy();
    await new Promise((r) => server.close(r));
  });

  for (const [status, kind] of [
    ["401 Unauthorized", "auth_failed"],
    ["503 Service Unavailable", "transient"],
  ] as const) {
    it(`after a ${status} with a body on a kept-alive connection, the next call is ok (not "Unexpected HTTP 400")`, async () => {
      refuseWith = { status, body: `${status}: go away` };
      expect(await echo(account(url), "x")).toMatchObject({ kind, raw: { status: Number(status.slice(0, 3)) } });
      expect(await echo(account(url), "x")).toMatchObject({ kind: "ok", data: "x" });
    });
  }
});
