// The loop closed, as a phone lives it: the admin makes the portal the provisioning server and writes
// a profile; a phone is entered and registered at the (simulated) redirection service; a scripted
// phone asks the service where to go (redirect.getPhoneRedirection over XML-RPC), replaces {mac},
// fetches its file from the portal with a snom User-Agent, and sends a syslog line over UDP; the
// phone page then shows every stage.
import dgram from "node:dgram";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { BrowserContext, Page } from "playwright-core";
import xmlrpc from "xmlrpc";
import { createPrisma, type Db } from "../../lib/db-core";
import type { Simulator } from "../../lib/redirection/simulator";
import { createCustomer, createUser } from "../factories";
import { createCustomOrg, SIM_PASSWORD, SIM_USER, startTestSimulator, TEST_KEY_HEX } from "../support/sync-fixtures";
import { launchBrowser, signIn } from "./browser";
import { freePort, startPortal, type PortalServer } from "./portal-server";

const MAC = "000413ABCD01";
const USER_AGENT = "Mozilla/4.0 (compatible; snomD785-SIP 10.1.33.33 1.1.3-s)";

let portal: PortalServer;
let browser: { context: BrowserContext; close: () => Promise<void> };
let page: Page;
let db: Db;
let simulator: Simulator;
let customerId: string;
let phoneId: string;
let syslogPort: number;

function getPhoneRedirection(url: string, mac: string): Promise<unknown> {
  const client = xmlrpc.createClient({ url, basic_auth: { user: SIM_USER, pass: SIM_PASSWORD } } as never);
  return new Promise((resolve, reject) =>
    client.methodCall("redirect.getPhoneRedirection", [mac], (err: unknown, value: unknown) =>
      err ? reject(err) : resolve(value),
    ),
  );
}

beforeAll(async () => {
  syslogPort = await freePort();
  // PUBLIC_URL unset: the portal's public address is NEXTAUTH_URL, which startPortal sets.
  portal = await startPortal({
    PORTAL_SECRET_KEY: TEST_KEY_HEX,
    SYSLOG_PORT: String(syslogPort),
    SYSLOG_HOST: "127.0.0.1",
  });
  db = createPrisma(portal.databaseUrl);
  simulator = await startTestSimulator();
  const org = await createCustomOrg(db, simulator.url, { urlTemplate: null });
  await db.organization.update({ where: { id: org.id }, data: { name: "Acme Telecom" } });
  const admin = await createUser(db, org.id, { role: "ADMIN", email: "admin@prov.example", name: "Ada Admin" });
  customerId = (await createCustomer(db, org.id, { name: "Hotel Seeblick", number: "C-7" })).id;
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

describe("provisioning server", () => {
  it("makes the portal the provisioning server and writes a profile", async () => {
    await page.goto(`${portal.baseUrl}/settings/provisioning`);
    // The portal runs on 127.0.0.1 without PUBLIC_URL: the page says real phones could not reach it.
    await page.getByRole("alert").filter({ hasText: "127.0.0.1, a loopback address" }).waitFor();
    await page.getByRole("alert").filter({ hasText: "Set PUBLIC_URL" }).waitFor();
    await page.getByRole("button", { name: "Create provisioning address" }).click();
    await page.getByText("Provisioning address created.").waitFor();
    await page.getByRole("button", { name: "Use as default provisioning URL" }).click();
    await page.getByText("is now the organization's default").waitFor();
    const url = await page.getByTestId("provisioning-url").textContent();
    expect(url).toMatch(new RegExp(`^${portal.baseUrl}/prov/[A-Za-z0-9_-]{32}/\\{mac\\}\\.xml$`));

    await page.getByLabel("New profile name").fill("Standard");
    await page.getByRole("button", { name: "Create profile" }).click();
    await page.getByText("Profile “Standard”").waitFor();
    await page.getByLabel("Language", { exact: true }).fill("Deutsch");
    await page.getByLabel("Time zone").fill("GER+1");
    await page.getByLabel("Admin mode password", { exact: true }).fill("Admin-Secret-771");
    await page.getByLabel("Line 1 SIP user").fill("{customer_number}-{label}");
    await page.getByLabel("Line 1 registrar").fill("pbx.example.net");
    await page.getByLabel("Line 1 display name").fill("{label} & Co");
    await page.getByLabel("Send the phone's system log to the portal").check();
    await page.getByRole("button", { name: "Save profile" }).click();
    await page.getByText("Profile “Standard” saved.").waitFor();

    // A wrong placeholder is refused with the reason, nothing saved.
    await page.getByLabel("Line 1 SIP user").fill("{extension}");
    await page.getByRole("button", { name: "Save profile" }).click();
    await page.getByText("Line 1 SIP user: Unknown {placeholder}").waitFor();
    // What the user typed stays in the form to be corrected.
    expect(await page.getByLabel("Line 1 SIP user").inputValue()).toBe("{extension}");
    await page.reload();
    expect(await page.getByLabel("Line 1 SIP user").inputValue()).toBe("{customer_number}-{label}");

    await page.getByLabel("Default profile (customers without their own)").selectOption({ label: "Standard" });
    await page.getByRole("button", { name: "Save default" }).click();
    await page.getByText("Default profile saved.").waitFor();
  });

  it("registers a new phone at the service with the portal's URL", async () => {
    await page.goto(`${portal.baseUrl}/customers/${customerId}`);
    await page.getByLabel("MAC address").fill(MAC);
    await page.getByLabel("Label").fill("Reception");
    await page.getByRole("button", { name: "Add phone" }).click();
    await page.locator(`tr[data-mac="${MAC}"]`).getByText("Synced").waitFor({ timeout: 30_000 });
    phoneId = (await db.phone.findFirstOrThrow({ where: { mac: MAC } })).id;
  });

  it("a scripted phone follows the redirection, fetches its file and logs; the phone page shows every stage", async () => {
    const answer = (await getPhoneRedirection(simulator.url, MAC)) as [boolean, string, string];
    expect(answer[0]).toBe(true);
    const fileUrl = answer[2].replace("{mac}", MAC);
    const res = await fetch(fileUrl, { headers: { "User-Agent": USER_AGENT } });
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toContain("application/xml");
    const xml = await res.text();
    expect(xml).toContain('<language perm="RW">Deutsch</language>');
    expect(xml).toContain('<user_name idx="1" perm="RW">C-7-Reception</user_name>');
    expect(xml).toContain('<user_realname idx="1" perm="RW">Reception &amp; Co</user_realname>');
    expect(xml).toContain('<admin_mode_password perm="R">Admin-Secret-771</admin_mode_password>');
    const syslogServer = /<syslog_server perm="R">([^<]+)<\/syslog_server>/.exec(xml)?.[1];
    expect(syslogServer).toBe(`127.0.0.1:${syslogPort}`);

    // An unknown MAC and a wrong token look the same.
    const unknown = await fetch(fileUrl.replace(MAC, "000413000999"), { headers: { "User-Agent": USER_AGENT } });
    const wrongToken = await fetch(fileUrl.replace(/\/prov\/[^/]+\//, `/prov/${"x".repeat(32)}/`), {
      headers: { "User-Agent": USER_AGENT },
    });
    expect([unknown.status, wrongToken.status]).toEqual([404, 404]);
    expect(await unknown.text()).toBe(await wrongToken.text());

    const [host, port] = syslogServer!.split(":");
    const socket = dgram.createSocket("udp4");
    await new Promise<void>((resolve, reject) =>
      socket.send(Buffer.from("<134>snomD785 [prov] settings applied from portal"), Number(port), host, (e) =>
        e ? reject(e) : resolve(),
      ),
    );
    socket.close();
    await expect.poll(() => db.phoneLogLine.count({ where: { phoneId } }), { timeout: 10_000 }).toBe(1);

    await page.goto(`${portal.baseUrl}/phones/${phoneId}`);
    const timeline = page.getByRole("list", { name: "Timeline" });
    await timeline.getByText("Entered").waitFor();
    await timeline.getByText("by Ada Admin").waitFor();
    for (const stage of [
      "Entered",
      "Pushed to the redirection service",
      "Accepted by the service",
      "First configuration fetch",
      "Last fetch",
      "Phone system log",
    ]) {
      expect(await timeline.locator(`li[data-stage="${stage}"]`).getAttribute("data-done"), stage).toBe("true");
    }
    await timeline.getByText("snomD785", { exact: true }).waitFor();
    await timeline.getByText("10.1.33.33", { exact: true }).waitFor();
    await timeline.getByText("settings applied from portal", { exact: false }).waitFor();
    // The model was empty: the first fetch filled it in.
    expect((await db.phone.findUniqueOrThrow({ where: { id: phoneId } })).model).toBe("snomD785");
    // The preview is the file, passwords hidden.
    const preview = await page.getByTestId("settings-preview").textContent();
    expect(preview).toContain('<user_name idx="1" perm="RW">C-7-Reception</user_name>');
    expect(preview).toContain("********");
    expect(await page.content()).not.toContain("Admin-Secret-771");
  });

  it("a SIP password set on the phone reaches the phone, never the browser", async () => {
    await page.getByLabel("Setting", { exact: true }).fill("user_pass:1");
    await page.getByLabel("Value", { exact: true }).fill("Sip-Secret-993");
    await page.getByRole("button", { name: "Set setting" }).click();
    await page.getByText("Setting user_pass:1 saved.").waitFor();
    await page.reload();
    await page.getByText("(set, hidden)").waitFor();
    expect(await page.content()).not.toContain("Sip-Secret-993");
    const url = (await db.organization.findFirstOrThrow({ where: { name: "Acme Telecom" } })).urlTemplate!.replace(
      "{mac}",
      MAC,
    );
    const xml = await (await fetch(url, { headers: { "User-Agent": USER_AGENT } })).text();
    expect(xml).toContain('<user_pass idx="1" perm="R">Sip-Secret-993</user_pass>');
  });

  it("filters phones by fetch stage and firmware, and counts stages on the dashboard", async () => {
    await page.goto(`${portal.baseUrl}/phones?fetch=24h`);
    await page.locator(`tr[data-mac="${MAC}"]`).waitFor();
    await page.goto(`${portal.baseUrl}/phones?firmware=10.1.33.33`);
    await page.locator(`tr[data-mac="${MAC}"]`).waitFor();
    await page.goto(`${portal.baseUrl}/phones?fetch=never&days=0`);
    await page.getByText("No phone matches these filters").waitFor();
    await page.goto(`${portal.baseUrl}/`);
    const stages = page.getByRole("definition");
    await page.getByText("Fetched their configuration").waitFor();
    expect(await stages.allTextContents()).toEqual(expect.arrayContaining(["1"]));
  });
});
