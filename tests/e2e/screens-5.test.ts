// Walkthrough 5: what a sales person at 390 px and an admin found on a fresh portal, checked in the
// browser: a German Excel file's column guess, audit rows that name the customer, the phone page of
// a phone provisioned elsewhere, and lists that read at phone width.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Page } from "playwright-core";
import { createPrisma, type Db } from "../../lib/db-core";
import { createCustomer, createOrganization, createUser } from "../factories";
import { launchBrowser, signIn, signOut } from "./browser";
import { startPortal, type PortalServer } from "./portal-server";

let portal: PortalServer;
let browser: Awaited<ReturnType<typeof launchBrowser>>;
let page: Page;
let db: Db;
let orgId: string;
let muellerId: string;

beforeAll(async () => {
  portal = await startPortal();
  db = createPrisma(portal.databaseUrl);
  browser = await launchBrowser();
  page = await browser.context.newPage();
  const org = await createOrganization(db, { name: "Screens Telecom" });
  orgId = org.id;
  muellerId = (await createCustomer(db, org.id, { name: "Bäckerei Müller", number: "K-5001" })).id;
  const admin = await createUser(db, org.id, { role: "ADMIN", email: "admin@screens.example" });
  await signIn(page, portal.baseUrl, admin.email, admin.password);
});

afterAll(async () => {
  await browser?.close();
  await db?.$disconnect();
  await portal?.stop();
});

const checkResult = () => page.getByRole("status", { name: "Check result" });

describe("walkthrough 5", () => {
  it("a German Excel file (BOM, ;, CRLF, MAC-Adresse;Bezeichnung;Nebenstelle) takes the Bezeichnung as label", async () => {
    await page.setViewportSize({ width: 1280, height: 800 });
    const rows = Array.from({ length: 11 }, (_, i) => `000413F5${String(i).padStart(4, "0")};Empfang ${i};${100 + i}`);
    const csv = `\uFEFFMAC-Adresse;Bezeichnung;Nebenstelle\r\n${rows.join("\r\n")}\r\n`;
    await page.goto(`${portal.baseUrl}/import`);
    await page.getByLabel("CSV or TSV file").setInputFiles({
      name: "telefone\u202Emüller.csv",
      mimeType: "text/csv",
      buffer: Buffer.from(csv, "utf8"),
    });
    await page
      .getByLabel("Customer for rows without a customer column")
      .selectOption({ label: "Bäckerei Müller (K-5001)" });
    await page.getByRole("button", { name: "Read and check file" }).click();
    await checkResult().filter({ hasText: "11 ok" }).waitFor();
    expect(await page.getByLabel("Bezeichnung").inputValue()).toBe("label");
    expect(await page.getByLabel("Nebenstelle").inputValue()).toBe("ignore");
    await page.getByRole("button", { name: "Add 11 phones" }).click();
    await page.getByText("11 phones added").first().waitFor();
    const phones = await db.phone.findMany({
      where: { organizationId: orgId, mac: { startsWith: "000413F5" } },
      orderBy: { mac: "asc" },
    });
    expect(phones.map((p) => [p.label, p.customerId])).toEqual(rows.map((_, i) => [`Empfang ${i}`, muellerId]));
  });

  it("the audit rows of a paste and a file import name and link the customer, and a search for “muller” finds them", async () => {
    await page.goto(`${portal.baseUrl}/customers/${muellerId}/import`);
    await page.getByLabel("MAC addresses").fill("000413F60001\n000413F60002\n000413F60003\n");
    await page.getByRole("button", { name: "Check", exact: true }).click();
    await page.getByRole("button", { name: "Add 3 phones" }).click();
    await page.getByText("3 phones added").first().waitFor();

    await page.goto(`${portal.baseUrl}/audit?q=muller`);
    const table = page.getByRole("table", { name: "Audit events" });
    const paste = table.getByRole("link", { name: "Into “Bäckerei Müller”: 3 added, 0 moved, 0 skipped" });
    await paste.waitFor();
    expect(await paste.getAttribute("href")).toBe(`/customers/${muellerId}`);
    // The file name is quoted without its control characters (here a right-to-left override).
    const file = table.getByRole("link", {
      name: "File “telefone müller.csv” into “Bäckerei Müller”: 11 added, 0 moved, 0 skipped",
    });
    await file.waitFor();
    expect(await file.getAttribute("href")).toBe(`/customers/${muellerId}`);
    await paste.click();
    await page.getByRole("heading", { name: "Bäckerei Müller" }).waitFor();
  });
});

describe("the phone page of a phone provisioned elsewhere", () => {
  it("shows no portal settings, file preview or fetch steps but where its configuration comes from; a phone served by the portal keeps them", async () => {
    await page.setViewportSize({ width: 1280, height: 800 });
    const elsewhere = await db.phone.create({
      data: { organizationId: orgId, customerId: muellerId, mac: "000413F70001" },
    });
    await page.goto(`${portal.baseUrl}/phones/${elsewhere.id}`);
    await page.getByRole("heading", { name: "Phone 000413F70001" }).waitFor();
    const note = page.getByTestId("provisioned-elsewhere");
    expect(await note.textContent()).toContain(
      "This phone gets its configuration from prov.example.net, not from this portal. It is the organization's default: change it in Settings",
    );
    expect(await note.getByRole("link", { name: "Settings → Provisioning server" }).getAttribute("href")).toBe(
      "/settings/provisioning",
    );
    expect(await page.getByRole("heading", { name: "Settings of this phone" }).count()).toBe(0);
    expect(await page.getByTestId("settings-preview").count()).toBe(0);
    const timeline = page.getByRole("list", { name: "Timeline" });
    expect(
      await timeline.locator("li[data-stage]").evaluateAll((l) => l.map((e) => e.getAttribute("data-stage"))),
    ).toEqual(["Entered", "Pushed to the redirection service", "Accepted by the service"]);

    // A phone whose URL is the portal's own provisioning address keeps all of them.
    const token = "screens5token0000000000000000000";
    await db.organization.update({ where: { id: orgId }, data: { provToken: token } });
    const served = await createCustomer(db, orgId, {
      name: "Served Here",
      urlTemplate: `${portal.baseUrl}/prov/${token}/{mac}.xml`,
    });
    const phone = await db.phone.create({
      data: { organizationId: orgId, customerId: served.id, mac: "000413F70002" },
    });
    await page.goto(`${portal.baseUrl}/phones/${phone.id}`);
    await page.getByRole("heading", { name: "Settings of this phone" }).waitFor();
    await page.getByTestId("settings-preview").waitFor();
    expect(await page.getByTestId("provisioned-elsewhere").count()).toBe(0);
    const stages = page.getByRole("list", { name: "Timeline" }).locator("li[data-stage]");
    expect(await stages.evaluateAll((l) => l.map((e) => e.getAttribute("data-stage")))).toEqual([
      "Entered",
      "Pushed to the redirection service",
      "Accepted by the service",
      "First configuration fetch",
      "Last fetch",
      "Phone system log",
    ]);
  });
});

describe("lists at 390 px, as a sales person", () => {
  const noSidewaysScroll = () => page.evaluate(() => document.documentElement.scrollWidth);
  const tableScrolls = (name?: string) =>
    (name ? page.getByRole("table", { name }) : page.locator("table").first()).evaluate(
      (t) => t.parentElement!.scrollWidth > t.parentElement!.clientWidth,
    );

  it("every phone row names its customer and label, the customers list shows the sync figure, nothing scrolls sideways", async () => {
    const sales = await createUser(db, orgId, { role: "SALES", email: "sales@screens.example" });
    await page.setViewportSize({ width: 1280, height: 800 });
    await signOut(page);
    await signIn(page, portal.baseUrl, sales.email, sales.password);
    await db.phone.updateMany({
      where: { organizationId: orgId, mac: "000413F70001" },
      data: { label: "Theke vorne links" },
    });
    await page.setViewportSize({ width: 390, height: 844 });

    await page.goto(`${portal.baseUrl}/phones?q=000413F70001`);
    const row = page.locator("tr[data-mac='000413F70001']");
    await row.waitFor();
    const detail = row.getByTestId("phone-row-detail");
    expect(await detail.isVisible()).toBe(true);
    expect(await detail.textContent()).toBe("Bäckerei Müller · Theke vorne links");
    await page.goto(`${portal.baseUrl}/phones`);
    await page.locator("tr[data-mac]").first().waitFor();
    expect(await noSidewaysScroll()).toBeLessThanOrEqual(390);
    expect(await tableScrolls()).toBe(false);

    await page.goto(`${portal.baseUrl}/customers/${muellerId}`);
    const own = page.locator("tr[data-mac='000413F70001']");
    await own.waitFor();
    const ownDetail = own.getByTestId("phone-row-detail");
    expect(await ownDetail.isVisible()).toBe(true);
    expect(await ownDetail.textContent()).toBe("Theke vorne links");
    expect(await noSidewaysScroll()).toBeLessThanOrEqual(390);

    await page.goto(`${portal.baseUrl}/customers`);
    const card = page.locator(`tr[data-customer='${muellerId}']`);
    await card.waitFor();
    const sync = card.locator("td").last();
    expect(await sync.textContent()).toMatch(/all synced|in progress|issue|paused/);
    expect(await sync.isVisible()).toBe(true);
    const box = (await sync.boundingBox())!;
    expect(box.x + box.width).toBeLessThanOrEqual(390);
    expect(await noSidewaysScroll()).toBeLessThanOrEqual(390);
    expect(await tableScrolls("Customers")).toBe(false);
  });
});

describe("wording", () => {
  it("during an outage a phone queued since shows “Waiting for the service”, as the banner counts it, not “Pending”", async () => {
    await db.organization.update({
      where: { id: orgId },
      data: {
        circuitOpenedAt: new Date(),
        circuitNextProbeAt: new Date(Date.now() + 3_600_000),
        circuitLastError: "timeout",
      },
    });
    const phone = await db.phone.create({
      data: { organizationId: orgId, customerId: muellerId, mac: "000413F80001", syncStatus: "pending" },
    });
    await page.goto(`${portal.baseUrl}/phones?q=000413F80001`);
    const row = page.locator("tr[data-mac='000413F80001']");
    await row.waitFor();
    expect(await row.textContent()).toContain("Waiting for the service");
    expect(await row.textContent()).not.toContain("Pending");
    await page.goto(`${portal.baseUrl}/phones/${phone.id}`);
    await page.getByRole("heading", { name: "Phone 000413F80001" }).waitFor();
    await page
      .getByTitle(/^The redirection service is not answering/)
      .first()
      .waitFor();
    expect(
      await page
        .getByTitle(/^The redirection service is not answering/)
        .first()
        .textContent(),
    ).toBe("…Waiting for the service");
  });
});

describe("wording in the forms", () => {
  it("Drop bad lines keeps the dropped typo in a note to copy and fix", async () => {
    await page.setViewportSize({ width: 1280, height: 800 });
    await page.goto(`${portal.baseUrl}/customers/${muellerId}/import`);
    await page.getByLabel("MAC addresses").fill("000413F90001\n000413ZZ0002\n000413F90003\n");
    await page.getByRole("button", { name: "Check", exact: true }).click();
    await page.getByRole("button", { name: "Drop bad lines" }).click();
    const note = page.getByRole("note", { name: "Dropped lines" });
    await note.waitFor();
    expect(await note.textContent()).toContain("1 line was dropped because it is not a MAC");
    expect(await note.locator("pre").textContent()).toBe("000413ZZ0002");
    expect(await page.getByLabel("MAC addresses").inputValue()).toBe("000413F90001\n000413F90003");
  });

  it("a duplicate MAC on the add form: the reason and “Open that phone” sit together below the field", async () => {
    await page.goto(`${portal.baseUrl}/customers/${muellerId}`);
    await page.getByLabel("MAC address", { exact: true }).fill("000413F70001");
    await page.getByRole("button", { name: "Add phone" }).click();
    const link = page.getByRole("link", { name: "Open that phone" });
    await link.waitFor();
    const placement = await page.getByLabel("MAC address", { exact: true }).evaluate((input) => {
      const error = document.getElementById(`${input.id}-error`);
      return {
        reason: error?.textContent,
        linkFollowsReason: error?.nextElementSibling?.getAttribute("data-testid") === "existing-phone-link",
        linkBelowField: input.compareDocumentPosition(error!.nextElementSibling!) & Node.DOCUMENT_POSITION_FOLLOWING,
      };
    });
    expect(placement.reason).toBe("000413F70001 is already a phone of this customer.");
    expect(placement.linkFollowsReason).toBe(true);
    expect(placement.linkBelowField).toBeTruthy();
  });
});
