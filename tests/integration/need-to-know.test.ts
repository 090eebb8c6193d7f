// Need to know: texts that came back from the network name the endpoint ("connect ECONNREFUSED
// host:port"); a SALES user's reads hide the endpoint and username, an admin's keep them.
// Real database, the real worker, a real refused connection on loopback (a port nothing listens on).
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { prisma } from "@/lib/db";
import type { Actor } from "@/lib/data/common";
import { getOrganization } from "@/lib/data/organizations";
import { getPhone, listPhoneHistory, listPhones } from "@/lib/data/phones";
import { checkPhoneRedirection } from "@/lib/data/redirection-check";
import { saveRedirectionSettings } from "@/lib/data/redirection-settings";
import { closeAgents } from "@/lib/redirection/client";
import { resolveAccount } from "@/lib/sync/account";
import { createSyncWorker } from "@/lib/sync/worker";
import { createOrganization, createUser } from "../factories";
import { createQueuedPhones } from "../support/sync-fixtures";
import { closedPort } from "../support/ports";

const RPC_USER = "acme-rpc-5512";
let endpoint: string;
let hostPort: string;
let admin: Actor;
let sales: Actor;
let phoneId: string;

beforeAll(async () => {
  const port = await closedPort();
  hostPort = `127.0.0.1:${port}`;
  endpoint = `http://${hostPort}/xmlrpc/`;
  const org = await createOrganization(prisma);
  const a = await createUser(prisma, org.id, { role: "ADMIN" });
  const s = await createUser(prisma, org.id, { role: "SALES" });
  admin = { id: a.id, organizationId: org.id, role: "ADMIN" };
  sales = { id: s.id, organizationId: org.id, role: "SALES" };
  const saved = await saveRedirectionSettings(admin, {
    endpointKind: "CUSTOM",
    customUrl: endpoint,
    username: RPC_USER,
    password: "pw",
  });
  expect(saved.ok).toBe(true);
  const { phones } = await createQueuedPhones(prisma, org.id, 1, { firstMac: 0x5500 });
  phoneId = phones[0].id;
  const dataDir = process.env.PORTAL_TEST_DIR!;
  await createSyncWorker({
    db: prisma,
    workerId: "need-to-know",
    pollMs: 50,
    backoff: { baseMs: 60_000, maxMs: 60_000, maxAttempts: 5 },
    resolveAccount: (orgId) =>
      resolveAccount(prisma, orgId, { dataDir, secretKeyHex: process.env.PORTAL_SECRET_KEY, timeoutMs: 2_000 }),
  }).runUntilIdle();
});
afterAll(() => closeAgents());

describe("need to know", () => {
  it("the organization read gives admins the endpoint and username, sales users neither", async () => {
    expect(await getOrganization(admin)).toMatchObject({ rdsCustomUrl: endpoint, rdsUsername: RPC_USER });
    expect(await getOrganization(sales)).toMatchObject({ rdsCustomUrl: null, rdsUsername: null });
  });

  it("error texts, history and the redirection check hide the endpoint from sales users", async () => {
    const adminPhone = await getPhone(admin, phoneId);
    expect(adminPhone?.lastErrorText).toContain(hostPort);

    const texts: (string | null | undefined)[] = [];
    texts.push((await getPhone(sales, phoneId))?.lastErrorText);
    texts.push(...(await listPhones(sales, {})).items.map((p) => p.lastErrorText));
    texts.push(...(await listPhoneHistory(sales, phoneId)).map((e) => e.rawExcerpt));
    const check = await checkPhoneRedirection(sales, phoneId);
    expect(check?.kind).toBe("error");
    texts.push(check?.kind === "error" ? check.message : null);
    const all = JSON.stringify(texts);
    expect(all).toContain("ECONNREFUSED");
    expect(all).toContain("[redirection service]");
    expect(all).not.toContain(hostPort);
    expect(all).not.toContain(RPC_USER);
  });
});
