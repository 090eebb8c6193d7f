// The provisioning URL field in the browser: the same checker as the server (lib/urls.ts) explains a
// bad URL when the field is left, the server refuses what is sent anyway with the same message, and
// snom's {phone_type} variable is accepted and stored verbatim.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { BrowserContext, Page } from "playwright-core";
import { createPrisma, type Db } from "../../lib/db-core";
import { createOrganizationWithAdmin } from "../../lib/org-bootstrap";
import { markPasswordChosen } from "../factories";
import { launchBrowser, signIn } from "./browser";
import { startPortal, type PortalServer } from "./portal-server";

let browser: { context: BrowserContext; close: () => Promise<void> };
let page: Page;
let db: Db;
let portal: PortalServer;

beforeAll(async () => {
  portal = await startPortal();
  browser = await launchBrowser();
  page = await browser.context.newPage();
  db = createPrisma(portal.databaseUrl);
  const org = await createOrganizationWithAdmin(db, { name: "Url Reseller", adminEmail: "url-admin@reseller.example" });
  // Not about the first sign-in: the admin has chosen their own password (decision 0018).
  await markPasswordChosen(db, org.adminEmail);
  await signIn(page, portal.baseUrl, org.adminEmail, org.password);
});

afterAll(async () => {
  await browser?.close();
  await db?.$disconnect();
  await portal?.stop();
});

describe("provisioning URL field", () => {
  it("explains %7Bmac%7D when the field is left, refuses it on the server too, accepts {phone_type}/{mac}", async () => {
    await page.goto(`${portal.baseUrl}/customers/new`);
    await page.getByLabel("Name", { exact: true }).fill("Url Kunde");
    await page.getByLabel("Customer number").fill("U-1");
    const url = page.getByLabel("Provisioning URL template (optional)");

    await url.fill("https://prov.example.net/snom/%7Bmac%7D.xml");
    await url.blur();
    const encoded =
      "The URL contains “%7Bmac%7D”, a percent-encoded {mac}: the phone replaces only the literal {mac} and {phone_type}, so write them with plain curly brackets.";
    await page.getByRole("alert").filter({ hasText: encoded }).waitFor();
    expect(await url.getAttribute("aria-invalid")).toBe("true");

    // Sent without leaving the field (Enter): the server says the same.
    await url.fill("https:/prov.example.net/snom/{mac}.xml");
    await url.press("Enter");
    await page.getByRole("alert").filter({ hasText: "Please correct the highlighted fields." }).waitFor();
    await page
      .getByRole("alert")
      .filter({ hasText: "“https:” must be followed by two slashes: https://prov.example.net/snom/{mac}.xml" })
      .waitFor();
    expect(await db.customer.count({ where: { number: "U-1" } })).toBe(0);

    await url.fill("https://prov.example.net/snom/{phone_type}/{mac}.xml");
    await url.blur();
    await page.getByRole("button", { name: "Create customer" }).click();
    await page.getByRole("heading", { name: "Url Kunde" }).waitFor();
    const customer = await db.customer.findFirstOrThrow({ where: { number: "U-1" } });
    expect(customer.urlTemplate).toBe("https://prov.example.net/snom/{phone_type}/{mac}.xml");
  });
});
