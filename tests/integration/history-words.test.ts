// The phone history words each call by what really happened, the same words the phones list shows
// (the client's failure message): an HTTP 500 from the service is not "not reachable". Real
// database, real XML-RPC calls to the simulator (faults injected) and to a port nothing listens on.
import https from "node:https";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { prisma } from "@/lib/db";
import type { Actor } from "@/lib/data/common";
import { listPhoneHistory } from "@/lib/data/phones";
import { closeAgents, registerPhone } from "@/lib/redirection/client";
import { recordUserCall } from "@/lib/redirection/org-account";
import { describeCallOutcome } from "@/lib/redirection/outcome-words";
import type { Simulator } from "@/lib/redirection/simulator";
import type { RdsAccount } from "@/lib/redirection/types";
import { createOrganization, createUser } from "../factories";
import { accountFor, createQueuedPhones, startTestSimulator } from "../support/sync-fixtures";
import { closedPort } from "../support/ports";
import { selfSignedCert } from "../support/tls";

let sim: Simulator;
let admin: Actor;
let phone: { id: string; mac: string };

beforeAll(async () => {
  sim = await startTestSimulator();
  const org = await createOrganization(prisma);
  const user = await createUser(prisma, org.id, { role: "ADMIN" });
  admin = { id: user.id, organizationId: org.id, role: "ADMIN" };
  phone = (await createQueuedPhones(prisma, org.id, 1)).phones[0];
});

afterAll(async () => {
  closeAgents();
  await sim.close();
});

/** Calls registerPhone, records it like a user's call, and returns the message and the history's words. */
async function callAndRead(account: RdsAccount) {
  const result = await registerPhone(account, phone.mac, "https://prov.example.net/x.xml");
  await recordUserCall(admin, phone, "registerPhone", result);
  const [latest] = await listPhoneHistory(admin, phone.id, 1);
  return { result, latest, words: describeCallOutcome(latest) };
}

describe("history outcome words", () => {
  it("an HTTP 500 from the service is worded as such, and its short text reply is shown", async () => {
    sim.setFaults({ rate: 1, modes: ["http500"] });
    const { result, latest, words } = await callAndRead(accountFor(sim));
    expect(result.kind).toBe("transient");
    expect(words).toBe("HTTP 500 from the service");
    expect(result.kind !== "ok" && result.message).toBe(words);
    expect(latest.rawExcerpt).toMatch(/^text, 21 bytes, text\/plain.*: “Internal Server Error”$/);
  });

  it("a timeout says so, with the client's words", async () => {
    sim.setFaults({ rate: 1, modes: ["hang"] });
    const { result, words } = await callAndRead(accountFor(sim, 300));
    expect(words).toBe("Timed out after 300 ms");
    expect(result.kind !== "ok" && result.message).toBe(words);
  });

  it("a refused connection says so", async () => {
    const port = await closedPort();
    const { result, words } = await callAndRead({
      url: `http://127.0.0.1:${port}/xmlrpc/`,
      username: "u",
      password: "p",
      timeoutMs: 2_000,
    });
    expect(words).toBe("Connection refused: nothing answers on that port");
    expect(result.kind !== "ok" && result.message.startsWith(words)).toBe(true);
  });

  it("an XML-RPC fault is worded by its code and string, not as an 'unexpected answer'", async () => {
    sim.setFaults({ rate: 1, modes: ["fault"] });
    const { words } = await callAndRead(accountFor(sim));
    expect(words).toBe("Fault -32500: Simulated server fault");
  });

  it("a fault reads the same in the phones list (the client's message, stored as the last error) as in the history", async () => {
    sim.setFaults({ rate: 1, modes: ["fault"] });
    const { result, words } = await callAndRead(accountFor(sim));
    expect(result.kind !== "ok" && result.message).toBe(words);
  });

  it("a fault with a long, hostile fault string is worded short and clean", async () => {
    sim.setFaults({ rate: 1, modes: ["long_fault"] });
    const { latest, words } = await callAndRead(accountFor(sim));
    expect(latest.rawExcerpt).toContain("<fault>");
    expect(words).toMatch(/^Fault -?\d+: /);
    expect(words).toMatch(/^Fault 1: Fault \[31m evil z+/);
    expect(words.length).toBeLessThanOrEqual(140);
    expect(words).not.toMatch(/[\u0000-\u001f\u202a-\u202e\u2066-\u2069]/);
  });

  it("a connection reset says so", async () => {
    sim.setFaults({ rate: 1, modes: ["reset"] });
    const { words } = await callAndRead(accountFor(sim));
    expect(words).toBe("The connection was closed by the other side");
  });
});

describe("history outcome words over TLS", () => {
  it("https:// to a plain HTTP port says so, in the client's words", async () => {
    const { result, words } = await callAndRead({ ...accountFor(sim), url: sim.url.replace(/^http:/, "https:") });
    expect(result.kind).toBe("protocol");
    expect(result.kind !== "ok" && result.message).toBe(words);
  });

  it("an untrusted certificate is a TLS verification failure, not an 'unexpected answer'", async () => {
    const server = https.createServer(selfSignedCert());
    await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
    try {
      const port = (server.address() as AddressInfo).port;
      const { result, words } = await callAndRead({
        url: `https://localhost:${port}/xmlrpc/`,
        username: "u",
        password: "p",
        timeoutMs: 2_000,
      });
      expect(result.kind).toBe("protocol");
      expect(words).toMatch(/^TLS verification failed: /);
    } finally {
      server.closeAllConnections();
      await new Promise((r) => server.close(r));
    }
  });
});
