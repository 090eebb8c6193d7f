// Walkthrough: a sales user at 390 px whose session ends while pages are open (signed out in another
// tab of the same browser), and a double tap on "Add phone". Live polling must say the page is no
// longer current and stop; forms must keep what was typed and say nothing was saved; the sign-in page
// must say why, and lead back.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Page, Request } from "playwright-core";
import { createPrisma, type Db } from "../../lib/db-core";
import { createCustomer, createOrganization, createUser, snomMac } from "../factories";
import { launchBrowser, signIn } from "./browser";
import { startPortal, type PortalServer } from "./portal-server";

let portal: PortalServer;
let browser: Awaited<ReturnType<typeof launchBrowser>>;
let db: Db;
let orgId: string;
let sales: { email: string; password: string };
let admin: { email: string; password: string };

const SIGNED_OUT_NOTICE = "You were signed out. Sign in again to see current status.";

beforeAll(async () => {
  portal = await startPortal();
  db = createPrisma(portal.databaseUrl);
  browser = await launchBrowser();
  // No provisioning URL: added phones are kept ("Needs URL") and never sent anywhere.
  const org = await createOrganization(db, { name: "Session Telecom", urlTemplate: null });
  orgId = org.id;
  sales = await createUser(db, org.id, { role: "SALES", email: "sales@session.example" });
  admin = await createUser(db, org.id, { role: "ADMIN", email: "admin@session.example" });
});

afterAll(async () => {
  await browser?.close();
  await db?.$disconnect();
  await portal?.stop();
});

/**
 * A phone-sized page of the shared browser context (one cookie jar: signing out anywhere ends it).
 * `fresh`: start signed out (a test before may have signed in again).
 */
async function phonePage({ fresh = false } = {}): Promise<Page> {
  if (fresh) await browser.context.clearCookies();
  const page = await browser.context.newPage();
  await page.setViewportSize({ width: 390, height: 844 });
  return page;
}

/** Signs in in another tab of the same browser (the shared cookie jar), then closes that tab. */
async function signInElsewhere(email: string, password: string) {
  const other = await browser.context.newPage();
  await signIn(other, portal.baseUrl, email, password);
  await other.getByRole("heading", { level: 1 }).first().waitFor();
  await other.close();
}

/** Sets a mark on the page's window: it survives client navigation and refreshes, not a reload. */
async function markWindow(page: Page) {
  await page.evaluate(() => ((window as unknown as { portalMark?: boolean }).portalMark = true));
}
async function isMarked(page: Page) {
  return page.evaluate(() => (window as unknown as { portalMark?: boolean }).portalMark === true);
}

/** Ends the session the way a user does: "Sign out" in another tab of the same browser. */
async function signOutElsewhere() {
  const other = await browser.context.newPage();
  await other.goto(`${portal.baseUrl}/`);
  await other.getByRole("heading", { level: 1 }).first().waitFor();
  await other.getByRole("button", { name: "Sign out" }).click();
  await other.waitForURL(/\/login/);
  await other.close();
}

async function phoneCount(customerId: string) {
  return db.phone.count({ where: { organizationId: orgId, customerId } });
}

describe("a session that ends while pages are open", () => {
  it("live status: one notice with a sign-in link back here, polling stops, the progress is marked not current", async () => {
    const customer = await createCustomer(db, orgId, { name: "Hotel Stale" });
    // 41 phones pending with no queued job: nothing will move them, the page keeps polling.
    await db.phone.createMany({
      data: Array.from({ length: 41 }, (_, i) => ({
        organizationId: orgId,
        customerId: customer.id,
        mac: snomMac(0x51000 + i),
        syncStatus: "pending",
      })),
    });
    const page = await phonePage({ fresh: true });
    await signIn(page, portal.baseUrl, sales.email, sales.password);
    await page.goto(`${portal.baseUrl}/customers/${customer.id}`);
    await page.getByRole("heading", { name: "Hotel Stale" }).waitFor();
    await page.getByText("Sending to the redirection service… 41 to go").waitFor();

    const polls: string[] = [];
    const onRequest = (r: Request) => {
      if (new URL(r.url()).pathname.startsWith("/api/")) polls.push(r.url());
    };
    page.on("request", onRequest);
    await signOutElsewhere();

    const notice = page.getByRole("alert").filter({ hasText: SIGNED_OUT_NOTICE });
    await notice.waitFor({ timeout: 15_000 });
    expect(await page.getByRole("alert").filter({ hasText: "You were signed out" }).count()).toBe(1);
    // The figures are still there, but said to be old; no running progress bar.
    await page.getByText("Not current: live progress stopped when you were signed out.").waitFor();
    expect(await page.getByText("Sending to the redirection service…").count()).toBe(0);
    expect(await page.getByRole("progressbar").count()).toBe(0);

    // No request storm: once refused, the page stops polling; it only asks now and then (one small
    // request to next-auth's session route every few seconds) whether the session is back.
    const afterNotice = polls.length;
    await page.waitForTimeout(10_000);
    const since = polls.slice(afterNotice).map((url) => new URL(url).pathname);
    expect(since.filter((path) => path !== "/api/auth/session")).toEqual([]);
    expect(since.length).toBeLessThanOrEqual(2);
    page.off("request", onRequest);

    const link = notice.getByRole("link", { name: "Sign in again" });
    const href = (await link.getAttribute("href"))!;
    const target = new URL(href, portal.baseUrl);
    expect(target.origin).toBe(new URL(portal.baseUrl).origin);
    expect(target.pathname).toBe("/login");
    expect(target.searchParams.get("reason")).toBe("session-ended");
    expect(target.searchParams.get("callbackUrl")).toBe(`/customers/${customer.id}`);

    await link.click();
    await page.waitForURL(/\/login\?/);
    await page.getByText("Your session ended. Sign in again.").waitFor();
    await page.getByLabel("E-mail").fill(sales.email);
    await page.getByLabel("Password").fill(sales.password);
    await page.getByRole("button", { name: "Sign in" }).click();
    await page.waitForURL(`${portal.baseUrl}/customers/${customer.id}`);
    await page.getByRole("heading", { name: "Hotel Stale" }).waitFor();
    expect(await page.getByText(SIGNED_OUT_NOTICE).count()).toBe(0);
    await page.close();
  });

  it("Add phone and the paste box's Add keep what was typed, save nothing and say so; signing in again in a new tab lets Add work", async () => {
    const customer = await createCustomer(db, orgId, { name: "Hotel Lost Work" });
    const formPage = await phonePage({ fresh: true });
    await signIn(formPage, portal.baseUrl, sales.email, sales.password);
    await formPage.goto(`${portal.baseUrl}/customers/${customer.id}`);
    await formPage.getByRole("heading", { name: "Hotel Lost Work" }).waitFor();
    await formPage.getByLabel("MAC address").fill("00:04:13:5E:00:01");
    await formPage.getByLabel("Label").fill("Reception");

    const pastePage = await phonePage();
    await pastePage.goto(`${portal.baseUrl}/customers/${customer.id}/import`);
    await pastePage.getByLabel("MAC addresses").fill(`${snomMac(0x5e0010)}\n${snomMac(0x5e0011)}`);
    await pastePage.getByRole("button", { name: "Check", exact: true }).click();
    await pastePage.getByRole("button", { name: "Add 2 phones" }).waitFor();

    await signOutElsewhere();

    await formPage.getByRole("button", { name: "Add phone" }).click();
    const formAlert = formPage.getByRole("alert").filter({ hasText: "Your session ended — nothing was saved." });
    await formAlert.waitFor();
    expect(await formAlert.textContent()).toContain(
      "Sign in again (opens in a new tab), then press “Add phone” again.",
    );
    expect(await formPage.getByLabel("MAC address").inputValue()).toBe("00:04:13:5E:00:01");
    expect(await formPage.getByLabel("Label").inputValue()).toBe("Reception");
    expect(await phoneCount(customer.id)).toBe(0);

    await pastePage.getByRole("button", { name: "Add 2 phones" }).click();
    const pasteAlert = pastePage.getByRole("alert").filter({ hasText: "Your session ended — nothing was saved." });
    await pasteAlert.waitFor();
    expect(await pastePage.getByLabel("MAC addresses").inputValue()).toBe(`${snomMac(0x5e0010)}\n${snomMac(0x5e0011)}`);
    // The checked list is still there, ready to be added once signed in.
    await pastePage.getByRole("button", { name: "Add 2 phones" }).waitFor();
    expect(await phoneCount(customer.id)).toBe(0);
    expect(await pastePage.url()).toContain(`/customers/${customer.id}/import`);

    // The link opens the sign-in page in a new tab, which says why and leads back to the form's page.
    const link = formAlert.getByRole("link", { name: "Sign in again (opens in a new tab)" });
    expect(await link.getAttribute("target")).toBe("_blank");
    const [signInTab] = await Promise.all([browser.context.waitForEvent("page"), link.click()]);
    await signInTab.waitForURL(/\/login\?/);
    await signInTab.getByText("Your session ended. Sign in again.").waitFor();
    await signInTab.getByLabel("E-mail").fill(sales.email);
    await signInTab.getByLabel("Password").fill(sales.password);
    await signInTab.getByRole("button", { name: "Sign in" }).click();
    await signInTab.waitForURL(`${portal.baseUrl}/customers/${customer.id}`);
    await signInTab.close();

    // Back in the first tab, the same press now saves what was kept.
    await formPage.getByRole("button", { name: "Add phone" }).click();
    await formPage.getByRole("status").filter({ hasText: "added. It has no provisioning URL yet" }).waitFor();
    expect(await db.phone.count({ where: { customerId: customer.id, mac: "0004135E0001", label: "Reception" } })).toBe(
      1,
    );
    await pastePage.getByRole("button", { name: "Add 2 phones" }).click();
    await pastePage.getByText("2 phones added").waitFor();
    expect(await phoneCount(customer.id)).toBe(3);
    await formPage.close();
    await pastePage.close();
  });

  it("an admin setting the user's password ends the session: the live notice shows and Add phone keeps the typed MAC", async () => {
    const rita = await createUser(db, orgId, { role: "SALES", name: "Rita Reset", email: "rita@session.example" });
    const customer = await createCustomer(db, orgId, { name: "Hotel Reset" });
    // One phone in flight with no queued job: the page polls every 2.5 s.
    await db.phone.create({
      data: { organizationId: orgId, customerId: customer.id, mac: snomMac(0x5e0040), syncStatus: "pending" },
    });
    const page = await phonePage({ fresh: true });
    await signIn(page, portal.baseUrl, rita.email, rita.password);
    await page.goto(`${portal.baseUrl}/customers/${customer.id}`);
    await page.getByRole("heading", { name: "Hotel Reset" }).waitFor();
    await page.getByLabel("MAC address").fill(snomMac(0x5e0041));

    // The admin, in a browser of their own, sets a new password for Rita.
    const adminBrowser = await launchBrowser();
    try {
      const adminPage = await adminBrowser.context.newPage();
      await signIn(adminPage, portal.baseUrl, admin.email, admin.password);
      await adminPage.goto(`${portal.baseUrl}/users`);
      const row = adminPage.locator("details").filter({ has: adminPage.getByLabel("New password for Rita Reset") });
      await row.getByText("Set a new password").click();
      await row.getByLabel("New password for Rita Reset").fill("a brand new password 1");
      await row.getByRole("button", { name: "Set password" }).click();
      await row.getByRole("status").filter({ hasText: "Password set." }).waitFor();
    } finally {
      await adminBrowser.close();
    }

    await page.getByRole("alert").filter({ hasText: SIGNED_OUT_NOTICE }).waitFor({ timeout: 15_000 });
    await page.getByRole("button", { name: "Add phone" }).click();
    await page.getByRole("alert").filter({ hasText: "Your session ended — nothing was saved." }).waitFor();
    expect(await page.getByLabel("MAC address").inputValue()).toBe(snomMac(0x5e0041));
    expect(await db.phone.count({ where: { mac: snomMac(0x5e0041) } })).toBe(0);
    await page.close();
  });

  it("the sign-in page shows only its own notices, never the text of the parameter", async () => {
    const page = await phonePage({ fresh: true });
    await page.goto(`${portal.baseUrl}/login?reason=${encodeURIComponent("Your account was hacked, call 555")}`);
    await page.getByRole("heading", { name: "Sign in" }).waitFor();
    expect(await page.getByText("hacked").count()).toBe(0);
    expect(await page.getByRole("status").count()).toBe(0);
    await page.goto(`${portal.baseUrl}/login?reason=constructor`);
    await page.getByRole("heading", { name: "Sign in" }).waitFor();
    expect(await page.getByRole("status").count()).toBe(0);
    await page.close();
  });
});

describe("signing in again while the page is open", () => {
  it("the page recovers by itself: the notice goes, live progress shows current figures, Add phone clears it too", async () => {
    const customer = await createCustomer(db, orgId, { name: "Hotel Comeback" });
    // 12 phones pending with no queued job: they only move when the test moves them.
    await db.phone.createMany({
      data: Array.from({ length: 12 }, (_, i) => ({
        organizationId: orgId,
        customerId: customer.id,
        mac: snomMac(0x5f000 + i),
        syncStatus: "pending",
      })),
    });
    const page = await phonePage({ fresh: true });
    await signIn(page, portal.baseUrl, sales.email, sales.password);
    await page.goto(`${portal.baseUrl}/customers/${customer.id}`);
    await page.getByRole("heading", { name: "Hotel Comeback" }).waitFor();
    await page.getByText("Sending to the redirection service… 12 to go").waitFor();
    await markWindow(page);

    await signOutElsewhere();
    const notice = page.getByRole("alert").filter({ hasText: SIGNED_OUT_NOTICE });
    await notice.waitFor({ timeout: 15_000 });
    await page.getByText("Not current: live progress stopped when you were signed out. Last known: 12 to go").waitFor();

    // While signed out, 5 phones finish elsewhere; then the user signs in again in another tab.
    const done = await db.phone.findMany({ where: { customerId: customer.id }, take: 5, select: { id: true } });
    await db.phone.updateMany({ where: { id: { in: done.map((p) => p.id) } }, data: { syncStatus: "synced" } });
    await signInElsewhere(sales.email, sales.password);

    // No reload, no click: the notice goes and the progress is live again, with current figures.
    await notice.waitFor({ state: "detached", timeout: 20_000 });
    await page.getByText("Sending to the redirection service… 7 to go").waitFor({ timeout: 10_000 });
    expect(await page.getByText("Not current").count()).toBe(0);
    expect(await isMarked(page)).toBe(true);
    await page.getByRole("heading", { name: "Hotel Comeback" }).waitFor();

    // Live again: 2 more finish and the page follows without being touched.
    const more = await db.phone.findMany({ where: { customerId: customer.id, syncStatus: "pending" }, take: 2 });
    await db.phone.updateMany({ where: { id: { in: more.map((p) => p.id) } }, data: { syncStatus: "synced" } });
    await page.getByText("Sending to the redirection service… 5 to go").waitFor({ timeout: 10_000 });

    // The walkthrough's path: signed out again, then in again, and Add phone pressed at once: the
    // successful action itself proves the session is back.
    await signOutElsewhere();
    await notice.waitFor({ timeout: 15_000 });
    await page.getByLabel("MAC address").fill(snomMac(0x5f0100));
    await signInElsewhere(sales.email, sales.password);
    await page.getByRole("button", { name: "Add phone" }).click();
    await page.getByRole("status").filter({ hasText: "added. It has no provisioning URL yet" }).waitFor();
    await notice.waitFor({ state: "detached", timeout: 5_000 });
    expect(await isMarked(page)).toBe(true);
    await page.close();
  });

  it("another account signing in in the other tab: the page is left for that account's dashboard, not resumed", async () => {
    const otherOrg = await createOrganization(db, { name: "Other Telecom", urlTemplate: null });
    const otto = await createUser(db, otherOrg.id, { role: "ADMIN", name: "Otto Other", email: "otto@other.example" });
    const customer = await createCustomer(db, orgId, { name: "Hotel Private" });
    await db.phone.create({
      data: { organizationId: orgId, customerId: customer.id, mac: snomMac(0x5f0200), syncStatus: "pending" },
    });
    const page = await phonePage({ fresh: true });
    await signIn(page, portal.baseUrl, sales.email, sales.password);
    await page.goto(`${portal.baseUrl}/customers/${customer.id}`);
    await page.getByRole("heading", { name: "Hotel Private" }).waitFor();
    await markWindow(page);

    await signOutElsewhere();
    await page.getByRole("alert").filter({ hasText: SIGNED_OUT_NOTICE }).waitFor({ timeout: 15_000 });
    await signInElsewhere(otto.email, otto.password);

    // A full load of the dashboard as Otto: the first user's customer is gone from the screen.
    await page.waitForURL(`${portal.baseUrl}/`, { timeout: 20_000 });
    await page.getByRole("heading", { level: 1 }).first().waitFor();
    expect(await page.locator("header").textContent()).toContain("Other Telecom");
    expect(await isMarked(page)).toBe(false);
    expect(await page.getByText("Hotel Private").count()).toBe(0);
    expect(await page.getByText(SIGNED_OUT_NOTICE).count()).toBe(0);
    await page.close();
  });
});

describe("at 390 x 844", () => {
  it("the signed-out notice never covers the form's own session-ended message", async () => {
    const customer = await createCustomer(db, orgId, { name: "Hotel Narrow" });
    // Phones in flight (the page polls, so the notice shows) and a list long enough to scroll.
    await db.phone.createMany({
      data: Array.from({ length: 30 }, (_, i) => ({
        organizationId: orgId,
        customerId: customer.id,
        mac: snomMac(0x5f0300 + i),
        syncStatus: "pending",
      })),
    });
    const page = await phonePage({ fresh: true });
    await signIn(page, portal.baseUrl, sales.email, sales.password);
    await page.goto(`${portal.baseUrl}/customers/${customer.id}`);
    await page.getByRole("heading", { name: "Hotel Narrow" }).waitFor();
    await page.getByLabel("MAC address").fill(snomMac(0x5f0400));
    await signOutElsewhere();
    const notice = page.getByRole("alert").filter({ hasText: SIGNED_OUT_NOTICE });
    await notice.waitFor({ timeout: 15_000 });

    await page.getByRole("button", { name: "Add phone" }).click();
    const formAlert = page.getByRole("alert").filter({ hasText: "Your session ended — nothing was saved." });
    await formAlert.waitFor();
    // Scrolled the way a user reads it: the message at the top of the screen.
    await formAlert.evaluate((el) => el.scrollIntoView({ block: "start" }));
    const box = (await formAlert.boundingBox())!;
    const points = [
      [box.x + box.width / 2, box.y + box.height / 2],
      [box.x + box.width / 2, box.y + 4],
    ];
    for (const [x, y] of points) {
      const inside = await formAlert.evaluate((el, [px, py]) => el.contains(document.elementFromPoint(px, py)), [x, y]);
      expect(inside, `the form's message is on top at (${x}, ${y})`).toBe(true);
    }
    const bar = await notice.boundingBox();
    if (bar) expect(bar.y + bar.height <= box.y || box.y + box.height <= bar.y).toBe(true);
    await page.close();
  });
});

describe("after choosing one's own password (decision 0018)", () => {
  // Signed in and changed within one second, as a test does: the session that made the change must
  // end too (it used to stay valid, and the sign-in page sent the user on to the dashboard).
  it("the sign-in page it ends on has the e-mail filled in", async () => {
    const given = "a password someone gave 1";
    const chosen = "a password only I know 1";
    const nina = await createUser(db, orgId, {
      role: "SALES",
      name: "Nina New",
      email: "nina@session.example",
      password: given,
      mustChangePassword: true,
    });
    const page = await phonePage({ fresh: true });
    await signIn(page, portal.baseUrl, nina.email, given);
    await page.waitForURL(`${portal.baseUrl}/change-password`);
    await page.getByLabel("Password you were given").fill(given);
    await page.getByLabel("New password", { exact: true }).fill(chosen);
    await page.getByLabel("Repeat new password").fill(chosen);
    await page.getByRole("button", { name: "Change password" }).click();
    await page.waitForURL(/\/login\?reason=password-changed/);
    await page.getByText("Your password was changed and every session ended.").waitFor();
    expect(await page.getByLabel("E-mail").inputValue()).toBe("nina@session.example");
    // The e-mail is there: the new password is all there is to type.
    await page.getByLabel("Password").fill(chosen);
    await page.getByRole("button", { name: "Sign in" }).click();
    await page.getByRole("heading", { name: "Dashboard" }).waitFor();
    await page.close();
  });
});

describe("a double tap on Add phone", () => {
  it("keeps the success message: the second tap on the emptied form is no error", async () => {
    const customer = await createCustomer(db, orgId, { name: "Hotel Double Tap" });
    const page = await phonePage({ fresh: true });
    await signIn(page, portal.baseUrl, sales.email, sales.password);
    await page.goto(`${portal.baseUrl}/customers/${customer.id}`);
    await page.getByRole("heading", { name: "Hotel Double Tap" }).waitFor();
    await page.getByLabel("MAC address").fill(snomMac(0x5e0020));
    await page.getByRole("button", { name: "Add phone" }).click();
    const added = page.getByRole("status").filter({ hasText: "added. It has no provisioning URL yet" });
    await added.waitFor();
    expect(await page.getByLabel("MAC address").inputValue()).toBe("");

    await page.getByRole("button", { name: "Add phone" }).click();
    await page.waitForTimeout(1_500);
    expect(await added.isVisible()).toBe(true);
    expect(await page.getByText("Enter a MAC address.").count()).toBe(0);
    expect(await page.getByText("Please correct the highlighted fields.").count()).toBe(0);
    expect(await phoneCount(customer.id)).toBe(1);

    // Typing again after the success makes an empty submit an error as usual.
    await page.getByLabel("MAC address").fill("x");
    await page.getByLabel("MAC address").fill("");
    await page.getByRole("button", { name: "Add phone" }).click();
    await page.getByText("Enter a MAC address.").first().waitFor();
    await page.close();
  });

  it("the paste box keeps its success message when Check is tapped on the box the Add just emptied", async () => {
    const customer = await createCustomer(db, orgId, { name: "Hotel Double Paste" });
    const page = await phonePage({ fresh: true });
    await signIn(page, portal.baseUrl, sales.email, sales.password);
    await page.goto(`${portal.baseUrl}/customers/${customer.id}/import`);
    await page.getByLabel("MAC addresses").fill(`${snomMac(0x5e0030)}\n${snomMac(0x5e0031)}`);
    await page.getByRole("button", { name: "Check", exact: true }).click();
    await page.getByRole("button", { name: "Add 2 phones" }).click();
    const added = page.getByText("2 phones added");
    await added.waitFor();
    expect(await page.getByLabel("MAC addresses").inputValue()).toBe("");

    await page.getByRole("button", { name: "Check", exact: true }).click();
    await page.waitForTimeout(500);
    expect(await added.isVisible()).toBe(true);
    expect(await page.getByText("Paste or scan at least one MAC address.").count()).toBe(0);
    await page.close();
  });

  it("Add user keeps its success message on a second tap on the emptied form", async () => {
    const page = await phonePage({ fresh: true });
    await signIn(page, portal.baseUrl, admin.email, admin.password);
    await page.goto(`${portal.baseUrl}/users`);
    await page.getByLabel("Name").fill("Double Tap");
    await page.getByLabel("E-mail").fill("double.tap@session.example");
    await page.getByLabel("Initial password").fill("a long enough password");
    await page.getByRole("button", { name: "Add user" }).click();
    const added = page.getByText("Double Tap can now sign in with double.tap@session.example and will be asked to choose their own password.");
    await added.waitFor();
    expect(await page.getByLabel("Name").inputValue()).toBe("");

    await page.getByRole("button", { name: "Add user" }).click();
    await page.waitForTimeout(1_500);
    expect(await added.isVisible()).toBe(true);
    expect(await page.getByText("Enter the user's name.").count()).toBe(0);
    expect(await db.user.count({ where: { organizationId: orgId, email: "double.tap@session.example" } })).toBe(1);
    await page.close();
  });
});
