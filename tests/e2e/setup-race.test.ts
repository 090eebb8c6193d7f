// Two people submit the first-run form at the same moment: one becomes the admin, the other is told
// the portal was just set up and is offered the sign-in page (docs/decisions/0015-concurrency.md).
import { afterAll, beforeAll, expect, it } from "vitest";
import type { BrowserContext, Page } from "playwright-core";
import { createPrisma, type Db } from "../../lib/db-core";
import { launchBrowser } from "./browser";
import { startPortal, type PortalServer } from "./portal-server";

let browser: { context: BrowserContext; close: () => Promise<void> };
let db: Db;
let portal: PortalServer;

beforeAll(async () => {
  portal = await startPortal();
  browser = await launchBrowser();
  db = createPrisma(portal.databaseUrl);
});

afterAll(async () => {
  await browser?.close();
  await db?.$disconnect();
  await portal?.stop();
});

async function fillSetup(page: Page, who: string) {
  await page.goto(`${portal.baseUrl}/setup`);
  await page.getByLabel("Organization name").fill(`${who} Telecom`);
  await page.getByLabel("Your name").fill(who);
  await page.getByLabel("Your e-mail").fill(`${who.toLowerCase()}@reseller.example`);
  await page.getByLabel("Password", { exact: true }).fill("first-admin-pw-123");
  await page.getByLabel("Repeat password").fill("first-admin-pw-123");
}

it("of two first-run forms sent at once, one creates the admin and the other says to sign in", async () => {
  const first = await browser.context.newPage();
  const second = await browser.context.newPage();
  await fillSetup(first, "Ada");
  await fillSetup(second, "Bob");

  const submit = (page: Page) => page.getByRole("button", { name: "Create organization and admin" }).click();
  // A first send with mismatching passwords warms the server (the action's code, the database
  // client), so the two real sends below reach it together rather than behind a cold start.
  for (const page of [first, second]) {
    await page.getByLabel("Repeat password").fill("something-else-123");
    await submit(page);
    await page.getByText("The passwords do not match.").waitFor();
    await page.getByLabel("Password", { exact: true }).fill("first-admin-pw-123");
    await page.getByLabel("Repeat password").fill("first-admin-pw-123");
  }
  // Both pages press the button at the same wall-clock moment (a timer in each page), so neither
  // waits for the other's round-trip to the browser.
  const at = Date.now() + 1_000;
  await Promise.all(
    [first, second].map((page) =>
      page.evaluate((when) => {
        setTimeout(
          () => document.querySelector<HTMLButtonElement>("form button[type=submit]")!.click(),
          when - Date.now(),
        );
      }, at),
    ),
  );

  const outcome = async (page: Page) => {
    const told = page.getByRole("alert").filter({ hasText: "The portal was just set up by someone else: sign in." });
    for (let i = 0; i < 200; i++) {
      if (/\/login\?setup=done/.test(page.url())) return "admin";
      if ((await told.count()) > 0) return "told";
      await page.waitForTimeout(100);
    }
    return `neither (at ${page.url()}: ${(await page.locator("body").innerText()).slice(0, 300)})`;
  };
  const [a, b] = await Promise.all([outcome(first), outcome(second)]);
  expect([a, b].sort()).toEqual(["admin", "told"]);

  const told = a === "told" ? first : second;
  await told.getByRole("link", { name: "Go to sign in" }).click();
  await told.waitForURL(/\/login/);

  expect(await db.organization.count()).toBe(1);
  expect(await db.user.count()).toBe(1);
});
