// Review findings "trust 4", in the browser against `next start`:
// 1. a phone's own settings (its SIP password user_pass:1) are admins' business: a sales user sees
//    them read-only, never the password, and the action refuses them (decision 0017);
// 2. a password an admin set must be replaced at the next sign-in before anything else (decision 0018).
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Page } from "playwright-core";
import { createPrisma, type Db } from "../../lib/db-core";
import { createCustomer, createOrganization, createUser } from "../factories";
import { launchBrowser, signIn, signOut } from "./browser";
import { startPortal, type PortalServer } from "./portal-server";
import { actionIds, callAction, signInRaw } from "./raw-http";

const SIP_SECRET = "Sip-Secret-Trust-4711";
const MUST_CHANGE = "Choose your own password first: the one you were given must be changed before you use the portal.";

let portal: PortalServer;
let browser: Awaited<ReturnType<typeof launchBrowser>>;
let page: Page;
let db: Db;
let ids: Record<string, string>;
let orgId: string;
let admin: Awaited<ReturnType<typeof createUser>>;
let sales: Awaited<ReturnType<typeof createUser>>;
let phoneId: string;

beforeAll(async () => {
  portal = await startPortal();
  db = createPrisma(portal.databaseUrl);
  ids = actionIds();
  browser = await launchBrowser();
  page = await browser.context.newPage();
  // No provisioning URL: the phone page shows the portal's own settings only for phones it may serve (screens-5).
  const org = await createOrganization(db, { name: "Trust Telecom", urlTemplate: null });
  orgId = org.id;
  admin = await createUser(db, org.id, { role: "ADMIN", email: "ada@trust.example", name: "Ada Admin" });
  sales = await createUser(db, org.id, { role: "SALES", email: "sam@trust.example", name: "Sam Sales" });
  const customer = await createCustomer(db, org.id, { name: "Hotel Seeblick" });
  phoneId = (await db.phone.create({ data: { organizationId: org.id, customerId: customer.id, mac: "000413A4C0DE" } })).id;
});

afterAll(async () => {
  await browser?.close();
  await db?.$disconnect();
  await portal?.stop();
});

const storedOverrides = async () => (await db.phone.findUniqueOrThrow({ where: { id: phoneId }, select: { provOverridesEnc: true } })).provOverridesEnc;

describe("a phone's settings and a sales user", () => {
  it("sales see the overrides read-only with the SIP password hidden, and the action refuses them", async () => {
    // An admin sets the line's SIP password and a plain setting.
    await signIn(page, portal.baseUrl, admin.email, admin.password);
    await page.goto(`${portal.baseUrl}/phones/${phoneId}`);
    for (const [key, value] of [["user_pass:1", SIP_SECRET], ["language", "Deutsch"]]) {
      await page.getByLabel("Setting", { exact: true }).fill(key);
      await page.getByLabel("Value", { exact: true }).fill(value);
      await page.getByRole("button", { name: "Set setting" }).click();
      await page.getByText(`Setting ${key} saved.`).waitFor();
    }
    const before = await storedOverrides();
    expect(before).not.toBeNull();

    await signOut(page);
    await signIn(page, portal.baseUrl, sales.email, sales.password);
    await page.goto(`${portal.baseUrl}/phones/${phoneId}`);
    await page.getByRole("heading", { name: "Phone 000413A4C0DE" }).waitFor();
    const list = page.getByRole("list", { name: "Settings of this phone" });
    await list.getByText("user_pass:1").waitFor();
    await list.getByText("(set, hidden)").waitFor();
    await list.getByText("Deutsch").waitFor();
    await page.getByText("Only admins can change a phone's settings, such as its SIP password.").waitFor();
    expect(await page.getByRole("button", { name: "Set setting" }).count()).toBe(0);
    expect(await page.getByRole("button", { name: "Remove" }).count()).toBe(0);
    expect(await page.getByLabel("Setting", { exact: true }).count()).toBe(0);
    expect(await page.getByLabel("Value", { exact: true }).count()).toBe(0);
    expect(await page.content()).not.toContain(SIP_SECRET);

    // The action itself, called as the browser would: refused with the sentence, nothing written.
    const cookie = await signInRaw(portal.baseUrl, sales.email, sales.password);
    for (const fields of [
      [["intent", "set"], ["id", phoneId], ["key", "user_pass:1"], ["value", "Chosen-By-Sales-1"]],
      [["intent", "remove"], ["id", phoneId], ["key", "user_pass:1"]],
    ] as [string, string][][]) {
      const res = await callAction(portal.baseUrl, { page: `/phones/${phoneId}`, actionId: ids.phoneOverrideAction, cookie, fields });
      expect(res.status).toBe(200);
      expect(res.body).toContain("Only admins can change a phone's settings (such as its SIP password).");
      expect(res.body).not.toContain(SIP_SECRET);
    }
    expect(await storedOverrides()).toBe(before);
    await signOut(page);
  });
});

describe("a password an admin set", () => {
  it("leads to the change form, keeps the portal closed until it is changed, then the dashboard opens", async () => {
    const rita = await createUser(db, orgId, { role: "SALES", email: "rita@trust.example", name: "Rita Reset" });
    const given = "Given-By-Admin-77";
    const chosen = "Rita-Chose-This-88";

    // The admin sets a new password for Rita on the Users page.
    await signIn(page, portal.baseUrl, admin.email, admin.password);
    await page.goto(`${portal.baseUrl}/users`);
    const row = page.getByRole("row").filter({ hasText: rita.email });
    await row.getByText("Set a new password").click();
    await row.getByLabel("New password for Rita Reset").fill(given);
    await row.getByRole("button", { name: "Set password" }).click();
    await row.getByText("they choose their own at the next sign-in").waitFor();
    await page.reload();
    await page.getByRole("row").filter({ hasText: rita.email }).getByText("Must choose own password at next sign-in").waitFor();
    await signOut(page);

    // Rita signs in with it: the change form, and no portal page.
    await signIn(page, portal.baseUrl, rita.email, given);
    await page.waitForURL(/\/change-password$/);
    await page.getByRole("heading", { name: "Choose your own password" }).waitFor();
    await page.goto(`${portal.baseUrl}/customers`);
    await page.waitForURL(/\/change-password$/);
    await page.getByRole("heading", { name: "Choose your own password" }).waitFor();
    expect(await page.content()).not.toContain("Hotel Seeblick");

    // Route handlers and actions answer with the sentence and change nothing.
    const status = await page.request.get(`${portal.baseUrl}/api/sync-status`);
    expect(status.status()).toBe(403);
    expect(await status.json()).toEqual({ error: MUST_CHANGE });
    const exported = await page.request.get(`${portal.baseUrl}/phones/export`);
    expect(exported.status()).toBe(403);
    expect(await exported.text()).toBe(`${MUST_CHANGE}\n`);
    const cookie = await signInRaw(portal.baseUrl, rita.email, given);
    const customers = await db.customer.count({ where: { organizationId: orgId } });
    const created = await callAction(portal.baseUrl, {
      page: "/customers/new",
      actionId: ids.createCustomerAction,
      cookie,
      fields: [["name", "Sneaky Customer"], ["number", "S-1"]],
    });
    expect(created.body).toContain(MUST_CHANGE);
    expect(await db.customer.count({ where: { organizationId: orgId } })).toBe(customers);

    // She chooses her own: every session ends, and the new password opens the dashboard.
    await page.getByLabel("Password you were given").fill(given);
    await page.getByLabel("New password", { exact: true }).fill(chosen);
    await page.getByLabel("Repeat new password").fill(chosen);
    await page.getByRole("button", { name: "Change password" }).click();
    await page.waitForURL(/\/login\?reason=password-changed/);
    expect((await db.user.findUniqueOrThrow({ where: { id: rita.id } })).mustChangePassword).toBe(false);
    await signIn(page, portal.baseUrl, rita.email, chosen);
    await page.getByRole("heading", { name: "Dashboard" }).waitFor();
    await page.goto(`${portal.baseUrl}/customers`);
    await page.getByRole("link", { name: "Hotel Seeblick" }).waitFor();
  });
});
