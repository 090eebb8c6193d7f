// Bulk entry in the browser: scanner input, paste 200 MACs with 5 bad ones, correct one in place,
// drop the rest, add, and see 196 phones on the customer's page; a German `;` CSV with BOM; the
// CSV export; "Check with snom" against the built-in sandbox.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { BrowserContext, Page } from "playwright-core";
import { createPrisma, type Db } from "../../lib/db-core";
import { createOrganizationWithAdmin } from "../../lib/org-bootstrap";
import { FOREIGN_MACS } from "../../lib/redirection/simulator";
import { createCustomer, snomMac, markPasswordChosen } from "../factories";
import { launchBrowser, signIn } from "./browser";
import { startPortal, type PortalServer } from "./portal-server";

let portal: PortalServer;
let browser: { context: BrowserContext; close: () => Promise<void> };
let page: Page;
let db: Db;
let organizationId: string;
let customer: { id: string; name: string; number: string };

beforeAll(async () => {
  portal = await startPortal();
  db = createPrisma(portal.databaseUrl);
  const org = await createOrganizationWithAdmin(db, {
    name: "Import Telecom",
    adminEmail: "ida@import.example",
    urlTemplate: "https://prov.import.example/{mac}.xml",
  });
  organizationId = org.organizationId;
  // Not about the first sign-in: the admin has chosen their own password (decision 0018).
  await markPasswordChosen(db, org.adminEmail);
  customer = await createCustomer(db, organizationId, { name: "Hotel Seeblick", number: "K-2001" });
  browser = await launchBrowser();
  page = await browser.context.newPage();
  await signIn(page, portal.baseUrl, org.adminEmail, org.password);
});

afterAll(async () => {
  await browser?.close();
  await db?.$disconnect();
  await portal?.stop();
});

/** 195 good MACs in rotating notations and 5 bad lines (bad ones at known line numbers). */
function twoHundredLines(): { lines: string[]; truncatedLine: number } {
  const lines: string[] = [];
  for (let i = 0; i < 195; i++) {
    const hex = snomMac(0x100 + i);
    const pairs = hex.match(/.{2}/g)!;
    lines.push(
      [hex, pairs.join(":").toLowerCase(), pairs.join("-"), `${hex.slice(0, 4)}.${hex.slice(4, 8)}.${hex.slice(8)}`][
        i % 4
      ],
    );
  }
  lines.splice(10, 0, "00:04:13:00:0F"); // truncated: the one we correct (line 11)
  lines.splice(50, 0, "4,135E+127"); // spreadsheet damage
  lines.splice(90, 0, "000413ZZ0001"); // typo
  lines.splice(120, 0, lines[0]); // duplicate of line 1
  lines.splice(150, 0, "413000123"); // leading zeros stripped
  return { lines, truncatedLine: 11 };
}

const checkResult = () => page.getByRole("status", { name: "Check result" });

describe("bulk import in the browser", () => {
  it("a barcode scanner's Enter makes a new line and never submits", async () => {
    await page.goto(`${portal.baseUrl}/customers/${customer.id}/import`);
    const box = page.getByLabel("MAC addresses");
    await box.click();
    for (const code of ["000413AB0001", "000413AB0002"]) {
      await page.keyboard.type(code);
      await page.keyboard.press("Enter");
    }
    expect(await box.inputValue()).toBe("000413AB0001\n000413AB0002\n");
    expect(await page.evaluate(() => document.activeElement?.tagName)).toBe("TEXTAREA");
    expect(await page.getByRole("heading", { name: "Check result" }).count()).toBe(0);
    await page.getByRole("button", { name: "Check", exact: true }).click();
    await checkResult().filter({ hasText: "2 ok" }).waitFor();
    // The box keeps the focus after a check, ready for the next scan.
    await expect.poll(() => page.evaluate(() => document.activeElement?.tagName)).toBe("TEXTAREA");
    expect(await db.phone.count({ where: { organizationId } })).toBe(0);
  });

  it("paste 200 MACs with 5 bad ones, correct one in place, drop the rest, add 196", async () => {
    const { lines, truncatedLine } = twoHundredLines();
    expect(lines).toHaveLength(200);
    await page.goto(`${portal.baseUrl}/customers/${customer.id}/import`);
    await page.getByLabel("MAC addresses").fill(lines.join("\n"));
    await page.getByRole("button", { name: "Check", exact: true }).click();
    await checkResult().filter({ hasText: "195 ok" }).waitFor();
    const status = (await checkResult().textContent()) ?? "";
    expect(status).toContain("4 invalid");
    expect(status).toContain("1 duplicate");
    await page.getByText("format the column as text").first().waitFor();
    await page.getByText("Same MAC as line 1").waitFor();
    expect(await page.getByRole("button", { name: /^Add 195 phones$/ }).isEnabled()).toBe(true);

    // Correct the truncated MAC in its row, check again.
    await page.getByLabel(`Correct line ${truncatedLine}`).fill("00:04:13:00:0F:FF");
    await page.getByText("The list changed since it was checked").waitFor();
    expect(await page.getByRole("button", { name: /^Add \d+ phones$/ }).isDisabled()).toBe(true);
    await page.getByRole("button", { name: "Check again" }).click();
    await checkResult().filter({ hasText: "196 ok" }).waitFor();

    // Drop the other bad lines (it checks again by itself).
    await page.getByRole("button", { name: "Drop bad lines" }).click();
    await checkResult().filter({ hasText: "196 checked" }).waitFor();
    expect(await page.getByLabel("MAC addresses").inputValue()).not.toContain("4,135E+127");

    await page.getByRole("button", { name: "Add 196 phones" }).click();
    await page.getByText("196 phones added").waitFor();
    expect(await db.phone.count({ where: { organizationId, customerId: customer.id } })).toBe(196);
    // Every added phone was queued; the in-process worker may already have synced some of them
    // (a job is deleted in the transaction that marks its phone synced, so none falls between).
    const queued = await db.syncJob.count({ where: { organizationId } });
    const synced = await db.phone.count({ where: { organizationId, syncStatus: "synced" } });
    expect(queued + synced).toBeGreaterThanOrEqual(196);
    expect(await db.phone.count({ where: { organizationId, mac: snomMac(0xfff) } })).toBe(1);
    // The user sees the added phones' progress, not just the empty paste box: the live bar, then
    // the end of the run (the sandbox syncs them within seconds).
    await page.getByText(/All sent to the redirection service: \d+ of 196 pasted phones synced/).waitFor({ timeout: 60_000 });

    await page.getByRole("link", { name: `Back to ${customer.name}` }).click();
    await page.getByRole("heading", { name: "Phones (196)" }).waitFor();
  });

  it("the same list again adds nothing and offers nothing to add", async () => {
    await page.goto(`${portal.baseUrl}/customers/${customer.id}/import`);
    await page.getByLabel("MAC addresses").fill([snomMac(0x100), snomMac(0x101)].join("\n"));
    await page.getByRole("button", { name: "Check", exact: true }).click();
    await checkResult().filter({ hasText: "2 already here" }).waitFor();
    expect(await page.getByRole("button", { name: "Add 0 phones" }).isDisabled()).toBe(true);
    expect(await db.phone.count({ where: { organizationId } })).toBe(196);
  });

  it("Check with snom marks MACs owned by another account", async () => {
    await page.goto(`${portal.baseUrl}/customers/${customer.id}/import`);
    await page.getByLabel("MAC addresses").fill([FOREIGN_MACS[0], snomMac(0x9001), "not-a-mac"].join("\n"));
    await page.getByRole("button", { name: "Check with snom" }).click();
    await page.getByText("snom: owned by another account").waitFor();
    await page.getByText("snom: free").waitFor();
    // The owned MAC is a row that needs attention, not "OK"; the counts say so too.
    const ownedRow = page.locator("tr", { hasText: FOREIGN_MACS[0] });
    expect(await ownedRow.getAttribute("data-verdict")).toBe("owned_elsewhere");
    await ownedRow.getByText("Owned elsewhere").waitFor();
    await checkResult().filter({ hasText: "1 ok" }).filter({ hasText: "1 owned by another account" }).waitFor();
    // "Drop bad lines" checks again without snom, and the owned MAC keeps its verdict.
    await page.getByRole("button", { name: "Drop bad lines" }).click();
    await checkResult().filter({ hasText: "2 checked" }).waitFor();
    expect(await page.locator("tr", { hasText: FOREIGN_MACS[0] }).getAttribute("data-verdict")).toBe("owned_elsewhere");
    await checkResult().filter({ hasText: "1 owned by another account" }).waitFor();
  });

  it("imports a `;` CSV with BOM and German headers, customers from a column", async () => {
    const other = await createCustomer(db, organizationId, { name: "Praxis Dr. Weiß", number: "K-2002" });
    const csv =
      "\uFEFFMAC-Adresse;Kundennummer;Bezeichnung;Modell\r\n" +
      `${snomMac(0x7001)};K-2001;Empfang;D785\r\n` +
      `00:04:13:00:70:02;K-2002;Wartezimmer;D735\r\n` +
      `${snomMac(0x7003)};K-9999;Lager;D120\r\n`;
    await page.goto(`${portal.baseUrl}/import`);
    await page
      .getByLabel("CSV or TSV file")
      .setInputFiles({ name: "telefone.csv", mimeType: "text/csv", buffer: Buffer.from(csv, "utf8") });
    await page.getByRole("button", { name: "Read and check file" }).click();
    await checkResult().filter({ hasText: "2 ok" }).waitFor();
    await page.getByText("semicolon (;)").waitFor();
    expect(await page.getByLabel("MAC-Adresse").inputValue()).toBe("mac");
    expect(await page.getByLabel("Kundennummer").inputValue()).toBe("customerNumber");
    expect((await checkResult().textContent()) ?? "").toContain("1 unknown customer");

    // Change the mapping: ignore the model column, check again.
    await page.getByLabel("Modell").selectOption("ignore");
    await page.getByRole("button", { name: "Check again" }).click();
    await checkResult().filter({ hasText: "2 ok" }).waitFor();
    await page.getByRole("button", { name: "Add 2 phones" }).click();
    await page.getByText("2 phones added").waitFor();
    const phones = await db.phone.findMany({
      where: { organizationId, mac: { in: [snomMac(0x7001), snomMac(0x7002), snomMac(0x7003)] } },
    });
    expect(phones.map((p) => [p.mac, p.customerId, p.label, p.model]).sort()).toEqual(
      [
        [snomMac(0x7001), customer.id, "Empfang", null],
        [snomMac(0x7002), other.id, "Wartezimmer", null],
      ].sort(),
    );
  });

  it("a binary file gets a clear error, nothing written", async () => {
    const before = await db.phone.count();
    await page.goto(`${portal.baseUrl}/import`);
    await page.getByLabel("CSV or TSV file").setInputFiles({
      name: "phones.xlsx",
      mimeType: "application/octet-stream",
      buffer: Buffer.from([0x50, 0x4b, 0x03, 0x04, 0, 1, 2, 3]),
    });
    await page.getByRole("button", { name: "Read and check file" }).click();
    await page.getByRole("alert").filter({ hasText: "binary file" }).waitFor();
    expect(await db.phone.count()).toBe(before);
  });

  it("warns on the paste page when no provisioning URL applies, and not when one does", async () => {
    await page.goto(`${portal.baseUrl}/customers/${customer.id}/import`);
    await page.getByRole("heading", { name: /Paste MACs for/ }).waitFor();
    expect(await page.getByText("No provisioning URL yet").count()).toBe(0);
    await db.organization.update({ where: { id: organizationId }, data: { urlTemplate: null } });
    try {
      await page.goto(`${portal.baseUrl}/customers/${customer.id}/import`);
      await page.getByText(`No provisioning URL yet: neither ${customer.name} nor the organization has one`).waitFor();
    } finally {
      await db.organization.update({ where: { id: organizationId }, data: { urlTemplate: "https://prov.import.example/{mac}.xml" } });
    }
  });

  it("another organization's customer has no paste box (404)", async () => {
    const rival = await createOrganizationWithAdmin(db, { name: "Rival Reseller", adminEmail: "boss@rival.example" });
    const secret = await createCustomer(db, rival.organizationId, { name: "Rival Secret Customer" });
    const res = await page.goto(`${portal.baseUrl}/customers/${secret.id}/import`);
    expect(res?.status()).toBe(404);
    expect(await page.content()).not.toContain("Rival Secret Customer");
  });

  it("exports the filtered phones as spreadsheet-safe CSV; without a session 401", async () => {
    const res = await page.request.get(`${portal.baseUrl}/phones/export?customer=${customer.id}`);
    expect(res.status()).toBe(200);
    expect(res.headers()["content-type"]).toContain("text/csv");
    expect(res.headers()["content-disposition"]).toMatch(/^attachment; filename="phones-\d{4}-\d{2}-\d{2}\.csv"$/);
    const body = await res.body();
    expect([...body.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const lines = body.toString("utf8").slice(1).trimEnd().split("\r\n");
    expect(lines[0]).toBe(
      "MAC,Customer,Customer number,Label,Model,Serial,Effective URL,Sync status,Last synced (UTC),Last error",
    );
    expect(lines).toHaveLength(1 + 197); // 196 pasted + 1 from the file
    expect(lines.some((l) => l.startsWith("00:04:13:00:01:00,Hotel Seeblick,K-2001,"))).toBe(true);

    const anonymous = await fetch(`${portal.baseUrl}/phones/export`);
    expect(anonymous.status).toBe(401);
  });
});
