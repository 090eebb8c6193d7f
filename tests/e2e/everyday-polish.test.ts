// Issue 15: what a reseller's admin notices every day, checked in the browser on one portal.
// 1. The top bar fits on one line at common laptop widths (1280, 1366 px) with a long organization
//    and user name, and every link stays reachable at 390 px (a phone), by keyboard too.
// 2. Every page shows a moment the same way: LocalTime's <time dateTime> in the viewer's zone with
//    the UTC time as its tooltip (the audit log and the paused-sync alert printed raw UTC).
// 3. Lists count in words with the right plural, and filters use plain words (no "N days", "24 h").
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Locator, Page } from "playwright-core";
import { createPrisma, type Db } from "../../lib/db-core";
import { createCustomer, createOrganization, createUser } from "../factories";
import { launchBrowser, signIn } from "./browser";
import { startPortal, type PortalServer } from "./portal-server";

const NAV_LINKS = ["Dashboard", "Customers", "Phones", "Users", "Audit log", "Reconcile", "Settings"];

let portal: PortalServer;
let browser: Awaited<ReturnType<typeof launchBrowser>>;
let page: Page;
let db: Db;
let orgId: string;
let customerId: string;

beforeAll(async () => {
  portal = await startPortal();
  db = createPrisma(portal.databaseUrl);
  browser = await launchBrowser();
  page = await browser.context.newPage();
  // Names as long as real ones: the bar must not wrap because of them.
  const org = await createOrganization(db, { name: "Alpenland Telekommunikation Vertriebs GmbH & Co. KG" });
  orgId = org.id;
  customerId = (await createCustomer(db, org.id, { name: "Hotel Bergblick" })).id;
  const admin = await createUser(db, org.id, { role: "ADMIN", name: "Wilhelmine Schmidt-Bergmann", email: "wilhelmine@alpenland.example" });
  await signIn(page, portal.baseUrl, admin.email, admin.password);
});

afterAll(async () => {
  await browser?.close();
  await db?.$disconnect();
  await portal?.stop();
});

type Box = { x: number; y: number; width: number; height: number };
async function boxOf(locator: Locator): Promise<Box> {
  const box = await locator.boundingBox();
  if (!box) throw new Error("element has no box (hidden?)");
  return box;
}

describe("the top bar", () => {
  for (const width of [1280, 1366]) {
    it(`fits on one line at ${width} px: every link, the account and Sign out in one row`, async () => {
      await page.setViewportSize({ width, height: 800 });
      await page.goto(`${portal.baseUrl}/`);
      const header = page.locator("header").first();
      const signOut = await boxOf(header.getByRole("button", { name: "Sign out" }));
      const brand = await boxOf(header.getByText("Redirection Portal"));
      const rowMiddle = signOut.y + signOut.height / 2;
      for (const name of NAV_LINKS) {
        const link = await boxOf(header.getByRole("navigation", { name: "Main" }).getByRole("link", { name, exact: true }));
        expect(Math.abs(link.y + link.height / 2 - rowMiddle), `${name} at ${width} px`).toBeLessThanOrEqual(2);
      }
      expect(Math.abs(brand.y + brand.height / 2 - rowMiddle)).toBeLessThanOrEqual(2);
      // One line: the bar is the row plus its padding, not two rows.
      const bar = await boxOf(header);
      expect(bar.height).toBeLessThan(signOut.height * 2);
      expect(await header.evaluate((h) => h.scrollWidth <= h.clientWidth)).toBe(true);
    });
  }

  it("keeps every link reachable at 390 px, by keyboard: Menu opens them, Escape closes", async () => {
    await page.setViewportSize({ width: 390, height: 800 });
    await page.goto(`${portal.baseUrl}/`);
    const header = page.locator("header").first();
    expect(await header.evaluate((h) => h.scrollWidth <= h.clientWidth)).toBe(true);
    expect(await header.getByRole("button", { name: "Sign out" }).isVisible()).toBe(true);
    const menu = header.getByRole("button", { name: "Menu" });
    expect(await menu.getAttribute("aria-expanded")).toBe("false");

    // From the top of the page, Tab reaches the menu button before anything in the page.
    await page.locator("body").focus();
    for (let i = 0; i < 5 && !(await menu.evaluate((el) => el === document.activeElement)); i++) await page.keyboard.press("Tab");
    expect(await menu.evaluate((el) => el === document.activeElement)).toBe(true);
    await page.keyboard.press("Enter");
    expect(await menu.getAttribute("aria-expanded")).toBe("true");
    for (const name of NAV_LINKS) {
      const link = header.getByRole("link", { name, exact: true });
      expect(await link.isVisible(), name).toBe(true);
      const box = await boxOf(link);
      expect(box.x >= 0 && box.x + box.width <= 390, `${name} within the screen`).toBe(true);
    }
    expect(await header.getByText("Signed in as Wilhelmine Schmidt-Bergmann · Alpenland").isVisible()).toBe(true);
    await page.keyboard.press("Tab");
    expect(await page.evaluate(() => document.activeElement?.textContent)).toBe("Dashboard");
    await page.keyboard.press("Escape");
    expect(await menu.getAttribute("aria-expanded")).toBe("false");
    expect(await menu.evaluate((el) => el === document.activeElement)).toBe(true);

    await menu.click();
    await header.getByRole("link", { name: "Audit log" }).click();
    await page.getByRole("heading", { name: "Audit log" }).waitFor();
    expect(await menu.getAttribute("aria-expanded")).toBe("false");
    await page.setViewportSize({ width: 1280, height: 720 });
  });
});

/**
 * Every <time> in `scope` is LocalTime's: ISO dateTime, UTC tooltip, and the viewer's local text
 * (which replaces the server's UTC text right after hydration, hence the poll). Returns the problems.
 */
async function localTimeProblems(scope: Locator): Promise<string[]> {
  const times = await scope.locator("time").evaluateAll((els) =>
    els.map((el) => {
      const iso = el.getAttribute("datetime") ?? "";
      return {
        iso,
        title: el.getAttribute("title") ?? "",
        text: el.textContent ?? "",
        local: [
          new Date(iso).toLocaleString(undefined, { dateStyle: "medium", timeStyle: "medium" }),
          new Date(iso).toLocaleString(undefined, { dateStyle: "medium", timeStyle: "short" }),
        ],
      };
    }),
  );
  if (times.length === 0) return ["no <time> element"];
  return times.flatMap((t) => [
    ...(/^\d{4}-\d\d-\d\d \d\d:\d\d(:\d\d)? UTC$/.test(t.title) && t.title.startsWith(t.iso.slice(0, 16).replace("T", " "))
      ? []
      : [`${t.iso}: tooltip "${t.title}" is not its UTC time`]),
    ...(t.local.includes(t.text) ? [] : [`${t.iso}: "${t.text}" is not the local time (${t.local.join(" or ")})`]),
  ]);
}

async function expectLocalTimes(scope: Locator) {
  await expect.poll(() => localTimeProblems(scope), { timeout: 5_000 }).toEqual([]);
}

describe("dates and times", () => {
  it("the audit log and the paused-sync alert show moments like every other page: local time, UTC tooltip", async () => {
    await page.goto(`${portal.baseUrl}/audit`);
    await page.getByRole("heading", { name: "Audit log" }).waitFor();
    await page.getByRole("table").getByText("wilhelmine@alpenland.example").first().waitFor();
    await expectLocalTimes(page.getByRole("table"));

    await db.organization.update({
      where: { id: orgId },
      data: { rdsPausedAt: new Date(Date.now() - 3_600_000), rdsPausedReason: "The service refused the credentials." },
    });
    try {
      await page.goto(`${portal.baseUrl}/settings/redirection`);
      const alert = page.getByText("Sync is paused since");
      await alert.waitFor();
      await expectLocalTimes(alert);
    } finally {
      await db.organization.update({ where: { id: orgId }, data: { rdsPausedAt: null, rdsPausedReason: null } });
    }
  });
});

describe("counts and filter labels", () => {
  it("counts phones and customers with the right plural, and the fetch filter speaks plain words", async () => {
    await db.phone.create({ data: { organizationId: orgId, customerId, mac: "000413C0FFE1" } });
    await page.goto(`${portal.baseUrl}/phones`);
    await page.getByText("1 phone in total").waitFor();
    await page.getByText("Bulk actions").click();
    expect(await page.getByLabel("All matching the filter (1 phone)").count()).toBe(1);

    await db.phone.create({ data: { organizationId: orgId, customerId, mac: "000413C0FFE2" } });
    await page.goto(`${portal.baseUrl}/phones`);
    await page.getByText("2 phones in total").waitFor();
    await page.goto(`${portal.baseUrl}/customers`);
    await page.getByText("1 customer in total").waitFor();

    await page.goto(`${portal.baseUrl}/phones`);
    const fetchFilter = page.getByLabel("Configuration fetch");
    const options = await fetchFilter.locator("option").allTextContents();
    expect(options).toContain("Registered, never fetched");
    expect(options).toContain("Fetched in the last 24 hours");
    for (const text of [...options, ...(await page.locator("label").allTextContents())]) {
      expect(text).not.toMatch(/\bN days\b|\b24 h\b/);
    }
    await fetchFilter.selectOption("never");
    const registered = page.getByLabel("Registered", { exact: true });
    await registered.waitFor();
    expect(await registered.locator("option").allTextContents()).toEqual([
      "Any time",
      "At least 1 day ago",
      "At least 7 days ago",
      "At least 30 days ago",
      "At least 90 days ago",
    ]);
    expect(await registered.inputValue()).toBe("7");
    await registered.selectOption("1");
    await page.waitForURL(/days=1/);
    expect(new URL(page.url()).searchParams.get("fetch")).toBe("never");

    // A filter that was not applied is named as its field is labelled, not by its URL key.
    await page.goto(`${portal.baseUrl}/audit?from=2026-13-45`);
    await page.getByText("Some filters were not applied: From: This date does not exist.").waitFor();
  });
});
