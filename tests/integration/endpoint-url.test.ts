// Endpoint URLs as admins get them wrong: http:// for a TLS port and https:// for a plain one
// (named in plain words by Test connection, and a pause, not retries, in the worker), and
// credentials inside the URL (refused, never stored, called or echoed). Real simulators on loopback,
// one of them serving HTTPS with a certificate made for this test.
import net, { type AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { prisma } from "@/lib/db";
import type { Actor } from "@/lib/data/common";
import { getRedirectionSettings, testOrSaveRedirectionSettings } from "@/lib/data/redirection-settings";
import { ANSWERS_PLAIN_HTTP_MESSAGE, ANSWERS_TLS_MESSAGE, closeAgents, echo } from "@/lib/redirection/client";
import { URL_CREDENTIALS_MESSAGE } from "@/lib/redirection/endpoint-url";
import type { Simulator } from "@/lib/redirection/simulator";
import { testConnection } from "@/lib/redirection/test-connection";
import { isRetryable } from "@/lib/redirection/types";
import { resolveAccount } from "@/lib/sync/account";
import { createSyncWorker } from "@/lib/sync/worker";
import { createOrganization, createUser } from "../factories";
import {
  accountFor,
  createCustomOrg,
  createQueuedPhones,
  SIM_PASSWORD,
  SIM_USER,
  startTestSimulator,
  statusCounts,
  TEST_KEY_HEX,
} from "../support/sync-fixtures";
import { selfSignedCert } from "../support/tls";

let tlsSim: Simulator;
let plainSim: Simulator;
let httpToTlsPort: string;
let httpsToPlainPort: string;

beforeAll(async () => {
  tlsSim = await startTestSimulator({ tls: selfSignedCert() });
  plainSim = await startTestSimulator();
  expect(tlsSim.url).toMatch(/^https:\/\/127\.0\.0\.1:\d+\/xmlrpc\/$/);
  httpToTlsPort = tlsSim.url.replace(/^https:/, "http:");
  httpsToPlainPort = plainSim.url.replace(/^http:/, "https:");
});
afterAll(async () => {
  closeAgents();
  await tlsSim.close();
  await plainSim.close();
});

describe("http:// and https:// mixed up", () => {
  it("Test connection: an http:// URL whose port answers with TLS", async () => {
    expect(await testConnection(accountFor({ url: httpToTlsPort }))).toEqual({
      outcome: "wrong_scheme",
      message: "This port answers with TLS: use https://",
      durationMs: expect.any(Number),
    });
  });

  it("Test connection: an https:// URL whose port answers plain HTTP", async () => {
    expect(await testConnection(accountFor({ url: httpsToPlainPort }))).toEqual({
      outcome: "wrong_scheme",
      message: "This port answers plain HTTP, not TLS: use http:// — or check the port",
      durationMs: expect.any(Number),
    });
    expect(plainSim.state().calls).toEqual([]);
  });

  it("the client calls both a configuration problem, not a transient one", async () => {
    for (const [url, message] of [
      [httpToTlsPort, ANSWERS_TLS_MESSAGE],
      [httpsToPlainPort, ANSWERS_PLAIN_HTTP_MESSAGE],
    ]) {
      const r = await echo(accountFor({ url }), "x");
      expect(r).toMatchObject({ kind: "protocol", reason: "wrong_scheme", message });
      expect(isRetryable(r.kind)).toBe(false);
    }
  });

  for (const which of ["http:// to a TLS port", "https:// to a plain HTTP port"] as const) {
    it(`the worker pauses the organization (${which}) instead of retrying each phone`, async () => {
      const url = which === "http:// to a TLS port" ? httpToTlsPort : httpsToPlainPort;
      const org = await createCustomOrg(prisma, url);
      await createQueuedPhones(prisma, org.id, 6, { firstMac: which === "http:// to a TLS port" ? 0x5100 : 0x5200 });
      const worker = createSyncWorker({
        db: prisma,
        workerId: `scheme-${org.id}`,
        concurrency: 2,
        pollMs: 25,
        backoff: { baseMs: 20, maxMs: 200, maxAttempts: 1_000 },
        resolveAccount: (orgId) =>
          resolveAccount(prisma, orgId, {
            dataDir: process.env.PORTAL_TEST_DIR!,
            secretKeyHex: TEST_KEY_HEX,
            timeoutMs: 2_000,
          }),
      });
      await worker.runUntilIdle({ includeDelayed: true });

      const paused = await prisma.organization.findUniqueOrThrow({ where: { id: org.id } });
      expect(paused.rdsPausedAt).toBeInstanceOf(Date);
      expect(paused.rdsPausedReason).toBe(
        `The endpoint URL needs fixing: ${which === "http:// to a TLS port" ? ANSWERS_TLS_MESSAGE : ANSWERS_PLAIN_HTTP_MESSAGE}.`,
      );
      // Every job waits for fixed settings, none counted as a failed attempt or scheduled for a retry.
      const jobs = await prisma.syncJob.findMany({ where: { organizationId: org.id } });
      expect(jobs).toHaveLength(6);
      expect(jobs.every((j) => j.attempts === 0 && j.claimToken === null)).toBe(true);
      expect(await statusCounts(prisma, org.id)).toEqual({ paused: 6 });
      const events = await prisma.syncEvent.findMany({ where: { organizationId: org.id } });
      expect(events.length).toBeGreaterThan(0);
      expect(events.length).toBeLessThanOrEqual(2); // only the calls already in flight
      expect(events.every((e) => e.outcome === "protocol")).toBe(true);
    });
  }
});

describe("TLS ports that answer a plain request themselves", () => {
  // nginx answers a plain request on its TLS port with an HTML 400; Java and others with a TLS alert record.
  for (const [name, answer] of [
    [
      "nginx's 400 page",
      Buffer.from(
        "HTTP/1.1 400 Bad Request\r\nContent-Type: text/html\r\nContent-Length: 88\r\nConnection: close\r\n\r\n" +
          "<html><body><center>The plain HTTP request was sent to HTTPS port</center></body></html>",
      ),
    ],
    ["a TLS alert record (0x15 0x03)", Buffer.from([0x15, 0x03, 0x03, 0x00, 0x02, 0x02, 0x0a])],
  ] as const) {
    it(`an http:// URL answered with ${name}`, async () => {
      const server = net.createServer((socket) => socket.once("data", () => socket.end(answer)));
      await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
      try {
        const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/xmlrpc/`;
        expect(await testConnection(accountFor({ url }))).toMatchObject({
          outcome: "wrong_scheme",
          message: ANSWERS_TLS_MESSAGE,
        });
      } finally {
        await new Promise((r) => server.close(r));
      }
    });
  }
});

describe("credentials inside the endpoint URL", () => {
  let admin: Actor;
  const secret = "Sup3rSecretPw";

  beforeAll(async () => {
    const org = await createOrganization(prisma);
    const user = await createUser(prisma, org.id, { role: "ADMIN" });
    admin = { id: user.id, organizationId: org.id, role: "ADMIN" };
  });

  it("the client refuses https://user:pass@host/…: nothing is called, the message names neither", async () => {
    const url = plainSim.url.replace("http://", `http://${SIM_USER}:${secret}@`);
    const r = await echo({ url, username: SIM_USER, password: SIM_PASSWORD, timeoutMs: 2_000 }, "x");
    expect(r).toMatchObject({
      kind: "protocol",
      reason: "credentials_in_url",
      message: URL_CREDENTIALS_MESSAGE,
      raw: { excerpt: "not called" },
    });
    expect(JSON.stringify(r)).not.toContain(secret);
    expect(plainSim.state().calls).toEqual([]);
    expect(await testConnection({ url, username: SIM_USER, password: SIM_PASSWORD })).toMatchObject({
      outcome: "credentials_in_url",
      message: URL_CREDENTIALS_MESSAGE,
    });
  });

  it("Test and Save refuse it with a field error and store nothing", async () => {
    const before = await getRedirectionSettings(admin);
    for (const intent of ["test", "save"] as const) {
      const result = await testOrSaveRedirectionSettings(admin, {
        intent,
        saveAnyway: "yes",
        input: {
          endpointKind: "CUSTOM",
          customUrl: `https://${SIM_USER}:${secret}@127.0.0.1:8083/xmlrpc/`,
          username: SIM_USER,
          password: SIM_PASSWORD,
        },
      });
      expect(result).toEqual({
        message: URL_CREDENTIALS_MESSAGE,
        fieldErrors: { customUrl: [URL_CREDENTIALS_MESSAGE] },
        data: { tested: "failed" },
      });
    }
    expect(await getRedirectionSettings(admin)).toEqual(before);
    expect(plainSim.state().calls).toEqual([]);
  });
});
