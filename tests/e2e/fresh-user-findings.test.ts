// Walkthrough 6a: what a fresh reseller admin and an operator found confusing or ugly, checked in the
// browser on one portal. History outcome words (point 1) are also checked against real calls in
// tests/integration/history-words.test.ts; here they are checked as the page shows them.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Page } from "playwright-core";
import { createPrisma, type Db } from "../../lib/db-core";
import { createCustomer, createOrganization, createUser } from "../factories";
import { launchBrowser, signIn } from "./browser";
import { startPortal, type PortalServer } from "./portal-server";

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
  // No provisioning URL anywhere: pasted phones cannot be registered.
  const org = await createOrganization(db, { name: "Fresh Telecom", urlTemplate: null });
  orgId = org.id;
  customerId = (await createCustomer(db, org.id, { name: "Hotel Seeblick" })).id;
  const admin = await createUser(db, org.id, { role: "ADMIN", email: "admin@fresh.example" });
  await signIn(page, portal.baseUrl, admin.email, admin.password);
});

afterAll(async () => {
  await browser?.close();
  await db?.$disconnect();
  await portal?.stop();
});

describe("walkthrough 6a", () => {
  it("the phone page words a failed call by what happened, shows a short text reply, and names itself by MAC", async () => {
    const phone = await db.phone.create({ data: { organizationId: orgId, customerId, mac: "000413A6A001" } });
    await db.syncEvent.create({
      data: {
        organizationId: orgId,
        phoneId: phone.id,
        mac: phone.mac,
        method: "registerPhone",
        outcome: "transient",
        actor: "worker:test",
        httpStatus: 500,
        rawExcerpt: "text, 21 bytes, text/plain: “Internal Server Error”",
        durationMs: 439,
      },
    });
    await page.setViewportSize({ width: 1280, height: 800 });
    await page.goto(`${portal.baseUrl}/phones/${phone.id}`);
    const row = page.locator("li").filter({ hasText: "Register →" }).first();
    expect(await row.textContent()).toContain("Register → HTTP 500 from the service (439 ms, by sync worker)");
    expect(await row.textContent()).not.toContain("not reachable");
    await row.getByText("Raw reply").click();
    await row.getByText("“Internal Server Error”").waitFor();
    expect(await page.title()).toBe("Phone 000413A6A001 · Redirection Portal");

    await page.goto(`${portal.baseUrl}/customers/${customerId}`);
    expect(await page.title()).toBe("Hotel Seeblick · Redirection Portal");
  });

  it("an overdue retry says it is due now, never a time in the past, and counts failed attempts plainly", async () => {
    await db.phone.create({
      data: {
        organizationId: orgId,
        customerId,
        mac: "000413A6A002",
        syncStatus: "retrying",
        attempts: 1,
        nextAttemptAt: new Date(Date.now() - 6_000),
        lastErrorText: "HTTP 500 from the service",
      },
    });
    await page.goto(`${portal.baseUrl}/phones?q=000413A6A002`);
    const row = page.locator("tr[data-mac='000413A6A002']");
    await row.waitFor();
    const text = (await row.textContent()) ?? "";
    expect(text).toContain(
      "HTTP 500 from the service · next try due now (waiting for its turn) · 1 failed attempt so far",
    );
    expect(text).not.toMatch(/ago|\(attempt/);

    // Its newest failed call says the worker tries again.
    const phone = await db.phone.findFirstOrThrow({ where: { organizationId: orgId, mac: "000413A6A002" } });
    await db.syncEvent.create({
      data: {
        organizationId: orgId,
        phoneId: phone.id,
        mac: phone.mac,
        method: "registerPhone",
        outcome: "transient",
        actor: "worker:test",
        httpStatus: 500,
        durationMs: 12,
      },
    });
    await page.goto(`${portal.baseUrl}/phones/${phone.id}`);
    await page.getByText("Register → HTTP 500 from the service (12 ms, by sync worker) · will be retried").waitFor();
  });

  it("an unknown address names its tab 'Not found'", async () => {
    await page.goto(`${portal.baseUrl}/no-such-page`);
    expect(await page.title()).toBe("Not found · Redirection Portal");
  });

  it("a filtered list counts matches; only the unfiltered list says 'in total'", async () => {
    await page.goto(`${portal.baseUrl}/phones?q=000413A6A002`);
    await page.getByText("1 phone matches").waitFor();
    expect(await page.getByText(/in total/).count()).toBe(0);
    await page.goto(`${portal.baseUrl}/phones`);
    await page.getByText("2 phones in total").waitFor();
    await page.goto(`${portal.baseUrl}/customers?q=Seeblick`);
    await page.getByText("1 customer matches").waitFor();
  });

  it("pasting without a provisioning URL says the phones are kept but not sent, and the end says why", async () => {
    // A customer of its own: the phones above (one retrying with no job) would keep its progress open.
    const pension = await createCustomer(db, orgId, { name: "Pension Alpenrose" });
    await page.goto(`${portal.baseUrl}/customers/${pension.id}/import`);
    expect(await page.title()).toBe("Paste MACs for Pension Alpenrose · Redirection Portal");
    await page.getByLabel("MAC addresses").fill("000413A6B001\n000413A6B002\n000413A6B003\n");
    await page.getByRole("button", { name: "Check", exact: true }).click();
    await page.getByRole("button", { name: "Add 3 phones" }).click();
    const added = page.getByText("3 phones added");
    await added.first().waitFor();
    const alert = page.getByText(/not sent to the redirection service: there is no provisioning URL yet/);
    await alert.waitFor();
    expect(await page.getByText("They are queued for the redirection service").count()).toBe(0);
    await page.getByText("Finished: 0 of 3 pasted phones synced; 3 not sent: no provisioning URL").waitFor({ timeout: 30_000 });
    expect(await page.getByText(/need attention/).count()).toBe(0);
  });

  it("a file import says, per customer, whether its phones were queued or kept without a provisioning URL", async () => {
    await createCustomer(db, orgId, {
      name: "Gasthof Post",
      number: "K-6A01",
      urlTemplate: "https://prov.example.net/{mac}",
    });
    await createCustomer(db, orgId, { name: "Camping Ufer", number: "K-6A02" });
    const csv = "mac;customerNumber\r\n000413A6C001;K-6A01\r\n000413A6C002;K-6A02\r\n";
    await page.goto(`${portal.baseUrl}/import`);
    await page
      .getByLabel("CSV or TSV file")
      .setInputFiles({ name: "phones.csv", mimeType: "text/csv", buffer: Buffer.from(csv, "utf8") });
    await page.getByRole("button", { name: "Read and check file" }).click();
    await page.getByRole("button", { name: "Add 2 phones" }).click();
    await page.getByText("2 phones added").waitFor();
    const item = (name: string) => page.getByRole("listitem").filter({ hasText: name });
    expect(await item("Gasthof Post").textContent()).toContain(": queued for the redirection service");
    expect(await item("Camping Ufer").textContent()).toContain(
      ": kept but not sent to the redirection service, there is no provisioning URL yet",
    );
  });

  it("the dashboard names the sandbox as it is deployed: built-in, or shared outside the portal", async () => {
    await page.goto(`${portal.baseUrl}/`);
    const wanted = portal.sandboxUrl
      ? "shared sandbox (a test service outside the portal)"
      : "built-in sandbox (simulated inside the portal)";
    await page.getByText(wanted).waitFor();
  });

  it("at 390 px the audit log shows each event's action and summary without sideways scrolling", async () => {
    await page.setViewportSize({ width: 390, height: 800 });
    await page.goto(`${portal.baseUrl}/audit`);
    const table = page.locator("table").first();
    const first = table.locator("tbody tr").first();
    await first.waitFor();
    const cells = first.locator("td");
    for (const i of [0, 1, 2, 3]) {
      const box = await cells.nth(i).boundingBox();
      expect(box, `cell ${i} shown`).not.toBeNull();
      expect(box!.x >= 0 && box!.x + box!.width <= 390, `cell ${i} within the screen`).toBe(true);
    }
    expect(await table.evaluate((t) => t.parentElement!.scrollWidth <= t.parentElement!.clientWidth)).toBe(true);
  });

  it("at 390 px the open menu closes on a click outside it and when focus leaves it", async () => {
    await page.setViewportSize({ width: 390, height: 800 });
    await page.goto(`${portal.baseUrl}/customers`);
    const menu = page.locator("header").first().getByRole("button", { name: "Menu" });
    await menu.click();
    expect(await menu.getAttribute("aria-expanded")).toBe("true");
    // The open menu covers the top of the page: a click far below it, on the page.
    await page.mouse.click(380, 790);
    await expect.poll(() => menu.getAttribute("aria-expanded")).toBe("false");

    await menu.click();
    expect(await menu.getAttribute("aria-expanded")).toBe("true");
    await menu.focus();
    // Tab through the open menu's links and on, out of the menu.
    const nav = page.locator("header").first().getByRole("navigation", { name: "Main" });
    for (let i = 0; i < 12 && (await nav.evaluate((n) => n.contains(document.activeElement))); i++) {
      await page.keyboard.press("Tab");
    }
    expect(await nav.evaluate((n) => n.contains(document.activeElement))).toBe(false);
    await expect.poll(() => menu.getAttribute("aria-expanded")).toBe("false");
  });

  it("at 390 px the open menu closes when the browser goes Back to another page", async () => {
    await page.setViewportSize({ width: 390, height: 800 });
    await page.goto(`${portal.baseUrl}/customers`);
    const menu = page.locator("header").first().getByRole("button", { name: "Menu" });
    await menu.click();
    await page.locator("header").first().getByRole("link", { name: "Phones" }).click();
    await page.waitForURL(/\/phones$/);
    await menu.click();
    expect(await menu.getAttribute("aria-expanded")).toBe("true");
    await page.goBack();
    await page.waitForURL(/\/customers$/);
    await expect.poll(() => menu.getAttribute("aria-expanded")).toBe("false");
  });

  it("the outage banner says how long, and a due check reads the same at every second", async () => {
    await page.setViewportSize({ width: 1280, height: 800 });
    // A check an hour ahead (the worker leaves it alone); the browser's clock is set just before it.
    const due = new Date(Date.now() + 60 * 60_000);
    await db.organization.update({
      where: { id: orgId },
      data: {
        circuitOpenedAt: new Date(due.getTime() - 2 * 60_000 - 10_000),
        circuitNextProbeAt: due,
        circuitLastError: "HTTP 503 from the service",
      },
    });
    try {
      // The page loads on the real clock; then the browser's clock is set around the due moment:
      // just before it (where "now" used to show), at it, and after it.
      await page.goto(`${portal.baseUrl}/phones`);
      const banner = page.getByRole("alert").filter({ hasText: "The redirection service has not answered" });
      await banner.waitFor();
      for (const beforeMs of [300, 0, -2_000]) {
        await page.clock.setFixedTime(new Date(due.getTime() - beforeMs));
        await expect.poll(() => banner.textContent(), { timeout: 5_000 }).toContain("Next check: any moment now.");
        expect(await banner.textContent()).toContain("has not answered for 2 min (since ");
      }
    } finally {
      await db.organization.update({
        where: { id: orgId },
        data: { circuitOpenedAt: null, circuitNextProbeAt: null, circuitLastError: null },
      });
    }
  });

  it("at 390 px the outage banner is three short lines, the technical error behind 'Last error'", async () => {
    await page.setViewportSize({ width: 390, height: 800 });
    const error = "Connection refused: nothing answers on that port (127.0.0.1:8910, ECONNREFUSED)";
    await db.organization.update({
      where: { id: orgId },
      data: {
        circuitOpenedAt: new Date(Date.now() - 9_000),
        circuitNextProbeAt: new Date(Date.now() + 60 * 60_000),
        circuitLastError: error,
      },
    });
    try {
      await page.goto(`${portal.baseUrl}/customers`);
      const banner = page.getByRole("alert").filter({ hasText: "The redirection service has not answered" });
      await banner.waitFor();
      const text = (await banner.textContent()) ?? "";
      expect(text).not.toMatch(/\)\s*\(|\(last error/);
      const shownError = banner.getByText(error, { exact: true });
      expect(await shownError.isVisible()).toBe(false);
      expect((await banner.boundingBox())!.height).toBeLessThanOrEqual(170);
      await banner.getByText("Last error", { exact: true }).click();
      await shownError.waitFor();
    } finally {
      await db.organization.update({
        where: { id: orgId },
        data: { circuitOpenedAt: null, circuitNextProbeAt: null, circuitLastError: null },
      });
    }
  });

  it("after an outage the note says when no phone is waiting any more, not that they are being sent", async () => {
    await page.setViewportSize({ width: 1280, height: 800 });
    await db.organization.update({
      where: { id: orgId },
      data: { circuitOpenedAt: new Date(Date.now() - 60_000), circuitNextProbeAt: new Date(Date.now() + 60 * 60_000) },
    });
    await db.phone.create({ data: { organizationId: orgId, customerId, mac: "000413A6D001", syncStatus: "waiting" } });
    await page.goto(`${portal.baseUrl}/customers`);
    const banner = page.getByRole("alert").filter({ hasText: "The redirection service has not answered" });
    await banner.waitFor();
    // Check now sends the check at once (the schedule said in an hour); the sandbox answers it.
    await banner.getByRole("button", { name: "Check now" }).click();
    const note = page.getByRole("status").filter({ hasText: "The redirection service answers again" });
    await note.waitFor();
    await db.phone.updateMany({ where: { organizationId: orgId }, data: { syncStatus: "synced" } });
    await expect
      .poll(() => note.textContent(), { timeout: 20_000 })
      .toContain("The redirection service answers again: no phone is waiting for it any more.");
  });
});
