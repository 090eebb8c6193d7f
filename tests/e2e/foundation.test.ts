// Browser flows of the foundation, in order on one fresh portal: first-run setup, login, customers,
// phones, MAC errors, roles and organization isolation.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { BrowserContext, Page } from "playwright-core";
import { createPrisma, type Db } from "../../lib/db-core";
import { createOrganizationWithAdmin } from "../../lib/org-bootstrap";
import { createCustomer, createUser } from "../factories";
import { launchBrowser, signIn, signOut } from "./browser";
import { startPortal, type PortalServer } from "./portal-server";

const admin = { name: "Ada Admin", email: "ada@reseller.example", password: "first-admin-pw-123" };

let browser: { context: BrowserContext; close: () => Promise<void> };
let page: Page;
let db: Db;
let portal: PortalServer;
let baseUrl: string;

beforeAll(async () => {
  portal = await startPortal();
  baseUrl = portal.baseUrl;
  browser = await launchBrowser();
  page = await browser.context.newPage();
  db = createPrisma(portal.databaseUrl);
});

afterAll(async () => {
  await browser?.close();
  await db?.$disconnect();
  await portal?.stop();
});

describe("foundation in the browser", () => {
  it("sends every page to /setup while no user exists, then creates the organization and its admin", async () => {
    await page.goto(`${baseUrl}/customers`);
    await page.waitForURL(/\/setup$/);
    await page.getByLabel("Organization name").fill("Acme Telecom");
    await page.getByLabel("Default provisioning URL (optional)").fill("https://prov.acme.example/snom/{mac}.xml");
    await page.getByLabel("Your name").fill(admin.name);
    await page.getByLabel("Your e-mail").fill(admin.email);
    await page.getByLabel("Password", { exact: true }).fill(admin.password);
    await page.getByLabel("Repeat password").fill(admin.password);
    await page.getByRole("button", { name: "Create organization and admin" }).click();
    await page.waitForURL(/\/login/);

    const again = await page.goto(`${baseUrl}/setup`);
    expect(again?.status()).toBe(404);
  });

  it("refuses a wrong password with the same message as an unknown e-mail, then signs in", async () => {
    await page.goto(`${baseUrl}/login`);
    await page.getByLabel("E-mail").fill(admin.email);
    await page.getByLabel("Password").fill("not-the-password");
    await page.getByRole("button", { name: "Sign in" }).click();
    await page.getByRole("alert").filter({ hasText: "E-mail or password is not correct." }).waitFor();

    await page.getByLabel("E-mail").fill("nobody@reseller.example");
    await page.getByRole("button", { name: "Sign in" }).click();
    await page.getByRole("alert").filter({ hasText: "E-mail or password is not correct." }).waitFor();

    await signIn(page, baseUrl, admin.email, admin.password);
    await page.getByRole("heading", { name: "Dashboard" }).waitFor();
  });

  it("creates a customer and adds a phone typed as 00:04:13:aa:bb:cc, shown as 000413AABBCC", async () => {
    await page.getByRole("link", { name: "Customers" }).click();
    await page.getByText("No customers yet").waitFor();
    await page.getByRole("link", { name: "New customer" }).first().click();
    await page.getByLabel("Name", { exact: true }).fill("Bäckerei Müller");
    await page.getByLabel("Customer number").fill("K-1001");
    await page.getByLabel("Contact e-mail").fill("office@mueller.example");
    await page.getByRole("button", { name: "Create customer" }).click();
    await page.getByRole("heading", { name: "Bäckerei Müller" }).waitFor();

    await page.getByLabel("MAC address").fill("00:04:13:aa:bb:cc");
    await page.getByLabel("Label").fill("Reception 201");
    await page.getByRole("button", { name: "Add phone" }).click();
    await page.getByRole("link", { name: "000413AABBCC" }).waitFor();

    const phone = await db.phone.findFirstOrThrow({ where: { mac: "000413AABBCC" } });
    expect(phone.label).toBe("Reception 201");
    expect(await db.syncJob.count({ where: { phoneId: phone.id } })).toBeLessThanOrEqual(1);
  });

  it("shows a malformed MAC's error next to the field and stores nothing", async () => {
    const before = await db.phone.count();
    await page.getByLabel("MAC address").fill("00:04:13:aa:bb");
    await page.getByRole("button", { name: "Add phone" }).click();
    const field = page.getByLabel("MAC address");
    await expect.poll(() => field.getAttribute("aria-invalid")).toBe("true");
    const describedBy = (await field.getAttribute("aria-describedby")) ?? "";
    const errorText = await page.locator(`[id="${describedBy.split(" ").pop()}"]`).textContent();
    expect(errorText).toContain("has 10 hex digits; a MAC has exactly 12");

    await field.fill("4.135E+127");
    await page.getByRole("button", { name: "Add phone" }).click();
    await page.getByText("scientific notation").waitFor();
    expect(await db.phone.count()).toBe(before);
  });

  it("refuses a MAC the organization already has: this customer's, or another's by name", async () => {
    await page.getByLabel("MAC address").fill("0004.13AA.BBCC");
    await page.getByRole("button", { name: "Add phone" }).click();
    await page.getByText("0004.13AA.BBCC is already a phone of this customer.").waitFor();
    await page.getByText("to see it.").waitFor();
    const org = await db.organization.findFirstOrThrow({ where: { name: "Acme Telecom" } });
    const other = await createCustomer(db, org.id, { name: "Praxis Neumann", number: "K-8888" });
    await page.goto(`${baseUrl}/customers/${other.id}`);
    await page.getByLabel("MAC address").fill("0004.13AA.BBCC");
    await page.getByRole("button", { name: "Add phone" }).click();
    await page.getByText("already registered here for customer “Bäckerei Müller”").waitFor();
    await page.getByText("to see it or move it to this customer.").waitFor();
  });

  it("keeps a SALES user out of user management with a 403 that says why", async () => {
    const org = await db.organization.findFirstOrThrow({ where: { name: "Acme Telecom" } });
    const sales = await createUser(db, org.id, { role: "SALES", email: "sam@reseller.example", name: "Sam Sales" });
    await signOut(page);
    await signIn(page, baseUrl, sales.email, sales.password);
    await expect(page.getByRole("link", { name: "Users" }).count()).resolves.toBe(0);
    const res = await page.goto(`${baseUrl}/users`);
    expect(res?.status()).toBe(403);
    await page.getByRole("heading", { name: "Only admins can manage users." }).waitFor();
    const redirection = await page.goto(`${baseUrl}/settings/redirection`);
    expect(redirection?.status()).toBe(403);
    await page.getByRole("heading", { name: "Only admins can change the redirection service account." }).waitFor();
    // Sales staff still manage customers.
    await page.goto(`${baseUrl}/customers`);
    await page.getByRole("link", { name: "Bäckerei Müller" }).waitFor();
  });

  it("tells a disabled user, with the right password, that the account is disabled", async () => {
    const org = await db.organization.findFirstOrThrow({ where: { name: "Acme Telecom" } });
    const gone = await createUser(db, org.id, { role: "SALES", email: "gone@reseller.example", disabled: true });
    await signOut(page);
    await page.getByLabel("E-mail").fill(gone.email);
    await page.getByLabel("Password").fill("wrong password");
    await page.getByRole("button", { name: "Sign in" }).click();
    await page.getByRole("alert").filter({ hasText: "E-mail or password is not correct." }).waitFor();
    await page.getByLabel("Password").fill(gone.password);
    await page.getByRole("button", { name: "Sign in" }).click();
    await page.getByRole("alert").filter({ hasText: "This account is disabled" }).waitFor();
    await signIn(page, baseUrl, admin.email, admin.password);
  });

  it("answers 404 for another organization's customer and never shows its name", async () => {
    const other = await createOrganizationWithAdmin(db, { name: "Rival Reseller", adminEmail: "boss@rival.example" });
    const secret = await createCustomer(db, other.organizationId, { name: "Rival Secret Customer" });
    const res = await page.goto(`${baseUrl}/customers/${secret.id}`);
    expect(res?.status()).toBe(404);
    expect(await page.content()).not.toContain("Rival Secret Customer");
    const edit = await page.goto(`${baseUrl}/customers/${secret.id}/edit`);
    expect(edit?.status()).toBe(404);
  });

  it("a form keeps the user's choice in a select after an error", async () => {
    await page.goto(`${baseUrl}/users`);
    await page.getByLabel("Name", { exact: true }).fill("Rita Role");
    await page.getByLabel("E-mail", { exact: true }).fill("rita@reseller.example");
    await page.getByLabel("Role").selectOption("ADMIN");
    await page.getByLabel("Initial password").fill("short");
    await page.getByRole("button", { name: "Add user" }).click();
    await page.getByText("Use at least 10 characters.").waitFor();
    expect(await page.getByLabel("Role").inputValue()).toBe("ADMIN");
    expect(await page.getByLabel("Name", { exact: true }).inputValue()).toBe("Rita Role");
    expect(await db.user.count({ where: { email: "rita@reseller.example" } })).toBe(0);
  });

  it("the phone form keeps the chosen customer and the typed URL after an error", async () => {
    const org = await db.organization.findFirstOrThrow({ where: { name: "Acme Telecom" } });
    const other = await createCustomer(db, org.id, { name: "Zahnarzt Weber", number: "K-7777" });
    const phone = await db.phone.findFirstOrThrow({ where: { organizationId: org.id, mac: "000413AABBCC" } });
    await page.goto(`${baseUrl}/phones/${phone.id}/edit`);
    await page.getByLabel("Customer").selectOption(other.id);
    await page.getByLabel("URL override (optional)").fill("https://prov.example.net/%7Bmac%7D.xml");
    await page.getByRole("button", { name: "Save changes" }).click();
    await page.getByText(/percent-encoded|%7B/i).first().waitFor();
    expect(await page.getByLabel("Customer").inputValue()).toBe(other.id);
    expect(await page.getByLabel("URL override (optional)").inputValue()).toBe("https://prov.example.net/%7Bmac%7D.xml");
    expect((await db.phone.findUniqueOrThrow({ where: { id: phone.id } })).customerId).toBe(phone.customerId);
  });

  it("a new default URL says how many phones it re-registers, and waits for a second Save of that URL", async () => {
    const org = await db.organization.findFirstOrThrow({ where: { name: "Acme Telecom" } });
    const users = await db.phone.count({ where: { organizationId: org.id, urlOverride: null, customer: { urlTemplate: null } } });
    const phones = users === 1 ? "1 phone" : `${users} phones`;
    await page.goto(`${baseUrl}/settings`);
    const url = page.getByLabel("Default provisioning URL template");
    await url.fill("https://prov.neu.example/snom/");
    await page.getByRole("button", { name: "Save", exact: true }).click();
    await page.getByText(`Saving re-registers ${phones} with the new default URL`).waitFor();
    await page.getByText("The new URL has no {mac}").waitFor();
    expect(await url.inputValue()).toBe("https://prov.neu.example/snom/");
    expect((await db.organization.findUniqueOrThrow({ where: { id: org.id } })).urlTemplate).toBe(org.urlTemplate);
    // Another URL asks again; the same URL a second time saves.
    await url.fill("https://prov.neu.example/snom/{mac}.xml");
    await page.getByRole("button", { name: "Save", exact: true }).click();
    // The warning for the new URL has no "{mac}" remark: it is a new warning, and nothing was saved.
    await expect.poll(() => page.getByText("The new URL has no {mac}").count()).toBe(0);
    await page.getByText(`Saving re-registers ${phones}`).waitFor();
    expect((await db.organization.findUniqueOrThrow({ where: { id: org.id } })).urlTemplate).toBe(org.urlTemplate);
    await page.getByRole("button", { name: "Save", exact: true }).click();
    await page.getByText("Organization settings saved.").waitFor();
    expect((await db.organization.findUniqueOrThrow({ where: { id: org.id } })).urlTemplate).toBe("https://prov.neu.example/snom/{mac}.xml");
  });

  it("changing the password ends every session, and the new password signs in", async () => {
    await page.goto(`${baseUrl}/settings`);
    await page.getByLabel("Current password").fill(admin.password);
    await page.getByLabel("New password", { exact: true }).fill("second-admin-pw-456");
    await page.getByLabel("Repeat new password").fill("second-admin-pw-456");
    await page.getByRole("button", { name: "Change password" }).click();
    await page.waitForURL(/\/login\?reason=password-changed/);
    await page.getByText("Your password was changed and every session ended.").waitFor();
    // The old session cookie no longer opens the portal.
    await page.goto(`${baseUrl}/customers`);
    await page.waitForURL(/\/login/);
    await signIn(page, baseUrl, admin.email, "second-admin-pw-456");
    await page.getByRole("heading", { name: "Dashboard" }).waitFor();
  });

  it("signing out stays on the address the portal was opened by", async () => {
    // The portal's NEXTAUTH_URL names 127.0.0.1; open it as localhost, as a user typing another name would.
    const other = baseUrl.replace("127.0.0.1", "localhost");
    await signIn(page, other, admin.email, "second-admin-pw-456");
    await page.getByRole("button", { name: "Sign out" }).click();
    await page.waitForURL(/\/login/);
    expect(new URL(page.url()).host).toBe(new URL(other).host);
  });

  it("signing in leads back to the page that was asked for", async () => {
    const org = await db.organization.findFirstOrThrow({ where: { name: "Acme Telecom" } });
    const phone = await db.phone.findFirstOrThrow({ where: { organizationId: org.id, mac: "000413AABBCC" } });
    await page.goto(`${baseUrl}/`);
    await signOut(page);
    await page.goto(`${baseUrl}/phones/${phone.id}`);
    await page.waitForURL(/\/login\?callbackUrl=/);
    await page.getByLabel("E-mail").fill(admin.email);
    await page.getByLabel("Password").fill("second-admin-pw-456");
    await page.getByRole("button", { name: "Sign in" }).click();
    await page.waitForURL((url) => url.pathname === `/phones/${phone.id}`);
  });
});
