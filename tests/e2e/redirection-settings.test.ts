// Settings → Redirection service in a real browser against a separate simulator process:
// - the form keeps what the user chose across Test connection, and Save stores exactly that
//   (issue 9: the radio used to snap back to the sandbox after a test, and Save stored the sandbox);
// - a failed test, a correction, then Save lands;
// - need to know: a SALES user's pages never contain the endpoint URL or the username; an admin's do.
import { spawn, type ChildProcess } from "node:child_process";
import { readFileSync } from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import type { BrowserContext, Page } from "playwright-core";
import { createPrisma, type Db } from "../../lib/db-core";
import { randomBytes } from "node:crypto";
import { encryptSecret } from "../../lib/crypto";
import { enqueueNewPhones } from "../../lib/sync/outbox";
import { URL_CREDENTIALS_MESSAGE } from "../../lib/redirection/endpoint-url";
import { createCustomer, createOrganization, createUser } from "../factories";
import { launchBrowser, signIn, signOut } from "./browser";
import { freePort, startPortal, type PortalServer } from "./portal-server";

const ROOT = path.resolve(import.meta.dirname, "../..");
const RPC_USER = "acme-rpc-7781";
const RPC_PASSWORD = "Pw-e2e-4411";
const URL_TEMPLATE = "https://prov.acme.example/snom/{mac}.xml";
const SECRET_KEY_HEX = randomBytes(32).toString("hex");

type SimState = {
  phones: Record<string, { owner: string; url: string }>;
  calls: { method: string; authUser?: string; outcome: string }[];
};

let portal: PortalServer;
let browser: { context: BrowserContext; close: () => Promise<void> };
let page: Page;
let db: Db;
let simProcess: ChildProcess;
let simUrl: string;
let simPort: number;

/** `npm run simulator` as its own process (node --import tsx, so the PID we hold is the simulator). */
async function startSimulatorProcess(port: number): Promise<ChildProcess> {
  const child = spawn(
    process.execPath,
    [
      "--import",
      "tsx",
      "scripts/simulator.ts",
      "--port",
      String(port),
      "--account",
      `${RPC_USER}:${RPC_PASSWORD}:Acme Telecom GmbH`,
    ],
    { cwd: ROOT, stdio: ["ignore", "pipe", "pipe"] },
  );
  let out = "";
  await new Promise<void>((resolve, reject) => {
    const onData = (chunk: Buffer) => {
      out += chunk.toString("utf8");
      if (out.includes("Simulator listening on")) resolve();
    };
    child.stdout!.on("data", onData);
    child.stderr!.on("data", onData);
    child.on("exit", (code) => reject(new Error(`simulator exited (${code}):\n${out}`)));
  });
  return child;
}

async function simState(baseUrl: string): Promise<SimState> {
  return (await fetch(new URL("/_control/state", baseUrl))).json() as Promise<SimState>;
}

function sandboxUrl(): string {
  return portal.sandboxUrl ?? readFileSync(path.join(portal.dataDir, "sandbox.url"), "utf8").trim();
}

async function addPhone(customerId: string, mac: string) {
  await page.goto(`${portal.baseUrl}/customers/${customerId}`);
  await page.getByLabel("MAC address").fill(mac);
  await page.getByRole("button", { name: "Add phone" }).click();
  await page.locator(`tr[data-mac="${mac}"]`).waitFor();
}

let orgA: { id: string };
let customerA: string;

beforeAll(async () => {
  simPort = await freePort();
  simProcess = await startSimulatorProcess(simPort);
  simUrl = `http://127.0.0.1:${simPort}/xmlrpc/`;
  // SSRF protection (another change) refuses loopback endpoints unless this is set.
  portal = await startPortal({ ALLOW_PRIVATE_ENDPOINTS: "1", PORTAL_SECRET_KEY: SECRET_KEY_HEX });
  db = createPrisma(portal.databaseUrl);
  orgA = await createOrganization(db, { name: "Acme Telecom", urlTemplate: URL_TEMPLATE });
  customerA = (await createCustomer(db, orgA.id, { name: "Hotel Seeblick" })).id;
  browser = await launchBrowser();
  page = await browser.context.newPage();
});

// Each test signs in afresh, whatever the one before left behind.
beforeEach(async () => {
  await browser.context.clearCookies();
});

afterAll(async () => {
  await browser?.close();
  await db?.$disconnect();
  if (simProcess && simProcess.exitCode === null) simProcess.kill("SIGTERM");
  await portal?.stop();
});

describe("redirection settings form", () => {
  it("keeps Custom URL after a successful test; Save stores it and the phone arrives at that simulator, not the sandbox", async () => {
    const admin = await createUser(db, orgA.id, { role: "ADMIN", email: "admin@acme.example" });
    await signIn(page, portal.baseUrl, admin.email, admin.password);
    await page.goto(`${portal.baseUrl}/settings/redirection`);
    await page.getByLabel("Custom URL").check();
    await page.getByLabel("Endpoint URL").fill(simUrl);
    await page.getByLabel("XML-RPC username").fill(RPC_USER);
    await page.getByLabel("XML-RPC password").fill(RPC_PASSWORD);
    await page.getByRole("button", { name: "Test connection" }).click();
    await page.getByText(`accepted the credentials of “${RPC_USER}”`).waitFor();

    // After the action the form still shows what the user chose.
    expect(await page.getByLabel("Custom URL").isChecked()).toBe(true);
    expect(await page.getByLabel(/(Built-in|Shared) sandbox/).isChecked()).toBe(false);
    expect(await page.getByLabel("Endpoint URL").inputValue()).toBe(simUrl);
    expect(await page.getByLabel("XML-RPC username").inputValue()).toBe(RPC_USER);

    await page.getByRole("button", { name: "Save" }).click();
    await page.getByText("Saved.").waitFor();
    const org = await db.organization.findUniqueOrThrow({ where: { id: orgA.id } });
    expect(org).toMatchObject({ rdsEndpointKind: "CUSTOM", rdsCustomUrl: simUrl, rdsUsername: RPC_USER });

    await addPhone(customerA, "000413E2E001");
    await expect
      .poll(async () => (await simState(simUrl)).phones["000413E2E001"], { timeout: 30_000 })
      .toEqual({
        owner: RPC_USER,
        url: URL_TEMPLATE,
      });
    expect((await simState(sandboxUrl())).phones["000413E2E001"]).toBeUndefined();
    await signOut(page);
  });

  it("a failed test, a correction, then Save lands", async () => {
    const orgB = await createOrganization(db, { name: "Bravo Telecom", urlTemplate: URL_TEMPLATE });
    const customerB = (await createCustomer(db, orgB.id, { name: "Bravo Kunde" })).id;
    const admin = await createUser(db, orgB.id, { role: "ADMIN", email: "admin@bravo.example" });
    await signIn(page, portal.baseUrl, admin.email, admin.password);
    await page.goto(`${portal.baseUrl}/settings/redirection`);
    await page.getByLabel("Custom URL").check();
    await page.getByLabel("Endpoint URL").fill(simUrl);
    await page.getByLabel("XML-RPC username").fill(RPC_USER);
    await page.getByLabel("XML-RPC password").fill("a-typo");
    await page.getByRole("button", { name: "Test connection" }).click();
    await page.getByText("Wrong credentials").waitFor();
    expect(await page.getByLabel("Custom URL").isChecked()).toBe(true);
    expect(await page.getByLabel("Endpoint URL").inputValue()).toBe(simUrl);
    expect(await page.getByLabel("XML-RPC username").inputValue()).toBe(RPC_USER);

    await page.getByLabel("XML-RPC password").fill(RPC_PASSWORD);
    await page.getByRole("button", { name: "Save" }).click();
    await page.getByText("Saved.").waitFor();
    expect(await db.organization.findUniqueOrThrow({ where: { id: orgB.id } })).toMatchObject({
      rdsEndpointKind: "CUSTOM",
      rdsCustomUrl: simUrl,
      rdsUsername: RPC_USER,
    });
    await addPhone(customerB, "000413E2E002");
    await expect
      .poll(async () => (await simState(simUrl)).phones["000413E2E002"]?.owner, { timeout: 30_000 })
      .toBe(RPC_USER);
    expect((await simState(sandboxUrl())).phones["000413E2E002"]).toBeUndefined();
    await signOut(page);
  });
});

describe("credentials typed into the endpoint URL (issue 9)", () => {
  it("are refused at the field with a specific message; never sent back, stored, called or audited", async () => {
    const secret = "Sup3r-e2e-Secret";
    const orgC = await createOrganization(db, { name: "Delta Telecom", urlTemplate: URL_TEMPLATE });
    const admin = await createUser(db, orgC.id, { role: "ADMIN", email: "admin@delta.example" });
    const before = await db.organization.findUniqueOrThrow({ where: { id: orgC.id } });
    const callsBefore = (await simState(simUrl)).calls.length;
    await signIn(page, portal.baseUrl, admin.email, admin.password);
    await page.goto(`${portal.baseUrl}/settings/redirection`);
    await page.getByLabel("Custom URL").check();
    await page.getByLabel("Endpoint URL").fill(`http://${RPC_USER}:${secret}@127.0.0.1:${simPort}/xmlrpc/`);
    await page.getByLabel("XML-RPC username").fill(RPC_USER);
    await page.getByLabel("XML-RPC password").fill(RPC_PASSWORD);
    // The action's replies carry the form state (message, field errors, values sent back): read
    // each one whole on its way to the browser.
    const replies: string[] = [];
    await page.route("**/settings/redirection", async (route) => {
      if (route.request().method() !== "POST") return route.continue();
      const response = await route.fetch();
      const body = await response.text();
      replies.push(body);
      await route.fulfill({ response, body });
    });
    for (const button of ["Test connection", "Save"]) {
      await page.getByRole("button", { name: button }).click();
      await expect.poll(() => replies.length).toBe(button === "Save" ? 2 : 1);
      await page.getByText(URL_CREDENTIALS_MESSAGE).waitFor();
    }
    await page.unroute("**/settings/redirection");
    for (const body of replies) {
      expect(body).toContain(URL_CREDENTIALS_MESSAGE);
      expect(body).not.toContain(secret);
    }
    expect(await db.organization.findUniqueOrThrow({ where: { id: orgC.id } })).toEqual(before);
    const audit = await db.auditEvent.findMany({ where: { organizationId: orgC.id } });
    expect(audit.filter((e) => e.action.startsWith("redirection."))).toEqual([]);
    expect(audit.every((e) => !e.summary.includes(secret))).toBe(true);
    expect((await simState(simUrl)).calls.length).toBe(callsBefore);
    await signOut(page);
  });
});

describe("need to know", () => {
  it("a SALES user's pages contain neither the endpoint URL nor the username; an admin's do", async () => {
    // An organization of its own on the custom endpoint, with one phone synced there.
    const org = await createOrganization(db, { name: "Charlie Telecom", urlTemplate: URL_TEMPLATE });
    await db.organization.update({
      where: { id: org.id },
      data: {
        rdsEndpointKind: "CUSTOM",
        rdsCustomUrl: simUrl,
        rdsUsername: RPC_USER,
        rdsPasswordEnc: encryptSecret(RPC_PASSWORD, Buffer.from(SECRET_KEY_HEX, "hex")),
      },
    });
    const customerId = (await createCustomer(db, org.id, { name: "Charlie Kunde" })).id;
    const phone = await db.phone.create({ data: { organizationId: org.id, customerId, mac: "000413E2E003" } });
    await enqueueNewPhones(db, org.id, [phone]);
    await expect
      .poll(async () => (await simState(simUrl)).phones["000413E2E003"]?.owner, { timeout: 30_000 })
      .toBe(RPC_USER);
    const salesUser = await createUser(db, org.id, { role: "SALES", email: "sales@charlie.example" });
    const adminUser = await createUser(db, org.id, { role: "ADMIN", email: "admin@charlie.example" });
    const customerA = customerId;
    const hostPort = `127.0.0.1:${simPort}`;
    const pages = [
      "/",
      "/customers",
      "/customers/new",
      `/customers/${customerA}`,
      `/customers/${customerA}/edit`,
      `/customers/${customerA}/import`,
      "/phones",
      `/phones/${phone.id}`,
      `/phones/${phone.id}/edit`,
      "/import",
      "/settings",
      "/settings/redirection",
      "/users",
    ];
    await signIn(page, portal.baseUrl, salesUser.email, salesUser.password);
    for (const p of pages) {
      // The raw response (HTML plus the RSC payload) and the rendered DOM.
      const res = await page.goto(`${portal.baseUrl}${p}`);
      const html = (await res?.text()) ?? "";
      for (const text of [html, await page.content()]) {
        expect(text, p).not.toContain(simUrl);
        expect(text, p).not.toContain(hostPort);
        expect(text, p).not.toContain(RPC_USER);
      }
    }
    await page.goto(`${portal.baseUrl}/`);
    await page.getByText("Redirection service:").waitFor();
    await page.getByText("working", { exact: true }).waitFor();

    // The check-redirection output on the phone page.
    await page.goto(`${portal.baseUrl}/phones/${phone.id}`);
    await page.getByRole("button", { name: "Check redirection" }).click();
    await page.getByText("This is the URL the portal expects.").waitFor();
    for (const text of [await page.content()]) {
      expect(text).not.toContain(simUrl);
      expect(text).not.toContain(RPC_USER);
    }
    await signOut(page);

    await signIn(page, portal.baseUrl, adminUser.email, adminUser.password);
    const dashboard = await (await page.goto(`${portal.baseUrl}/`))!.text();
    expect(dashboard).toContain(simUrl);
    expect(dashboard).toContain(RPC_USER);
    const settings = await (await page.goto(`${portal.baseUrl}/settings/redirection`))!.text();
    expect(settings).toContain(simUrl);
    expect(settings).toContain(RPC_USER);
  });
});
