// A portal without ALLOW_PRIVATE_ENDPOINTS: the redirection settings refuse endpoints on loopback
// and private addresses (test and save, "save anyway" included) with a message that says why, and
// nothing is sent there. Another portal process would have the operator's allowance.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { BrowserContext, Page } from "playwright-core";
import { createPrisma, type Db } from "../../lib/db-core";
import { startSimulator, type Simulator } from "../../lib/redirection/simulator";
import { createOrganization, createUser } from "../factories";
import { launchBrowser, signIn } from "./browser";
import { startPortal, type PortalServer } from "./portal-server";

let portal: PortalServer;
let browser: { context: BrowserContext; close: () => Promise<void> };
let page: Page;
let db: Db;
let simulator: Simulator;
let orgId: string;

beforeAll(async () => {
  portal = await startPortal({ ALLOW_PRIVATE_ENDPOINTS: "0" });
  db = createPrisma(portal.databaseUrl);
  simulator = await startSimulator({ accounts: [{ username: "reseller", password: "pw", company: "Acme" }] });
  const org = await createOrganization(db, { name: "Careful Telecom" });
  orgId = org.id;
  const admin = await createUser(db, org.id, { role: "ADMIN", email: "admin@careful.example" });
  browser = await launchBrowser();
  page = await browser.context.newPage();
  await signIn(page, portal.baseUrl, admin.email, admin.password);
});

afterAll(async () => {
  await browser?.close();
  await db?.$disconnect();
  await simulator?.close();
  await portal?.stop();
});

async function fillCustom(url: string) {
  await page.goto(`${portal.baseUrl}/settings/redirection`);
  await page.getByLabel("Custom URL").check();
  await page.getByLabel("Endpoint URL").fill(url);
  await page.getByLabel("XML-RPC username").fill("reseller");
  await page.getByLabel("XML-RPC password").fill("pw");
}

describe("private endpoints without the operator's allowance", () => {
  it("Test connection names the network of a loopback address in any form, and calls nothing", async () => {
    const port = simulator.port;
    for (const host of ["127.0.0.1", "0x7f000001", "[::ffff:127.0.0.1]"]) {
      await fillCustom(`http://${host}:${port}/xmlrpc/`);
      await page.getByRole("button", { name: "Test connection" }).click();
      // The address as the URL parser normalised it: 127.0.0.1, or ::ffff:7f00:1 for the mapped form.
      await page
        .getByText(
          /^This address \((127\.0\.0\.1|::ffff:7f00:1)\) is in the loopback network \(this machine\) \(127\.0\.0\.0\/8\); the portal only calls public addresses unless the operator sets ALLOW_PRIVATE_ENDPOINTS=1\.$/,
        )
        .first()
        .waitFor();
    }
    await fillCustom(`http://localhost:${port}/xmlrpc/`);
    await page.getByRole("button", { name: "Test connection" }).click();
    await page
      .getByText(/“localhost” is this machine \(the loopback network\)/)
      .first()
      .waitFor();
    expect(simulator.state().calls).toHaveLength(0);
    expect(simulator.connectionCount()).toBe(0);
  });

  it("Save refuses a private network address, and nothing is stored", async () => {
    await fillCustom("http://10.20.30.40:8083/xmlrpc/");
    await page.getByRole("button", { name: "Save" }).click();
    await page.getByText("This address (10.20.30.40) is in a private network (10.0.0.0/8)").first().waitFor();
    const org = await db.organization.findUniqueOrThrow({ where: { id: orgId } });
    expect(org.rdsEndpointKind).toBe("SANDBOX");
    expect(org.rdsCustomUrl).toBeNull();
  });
});
