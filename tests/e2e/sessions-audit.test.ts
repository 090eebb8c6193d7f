// Browser flows of issue 8 (points 8 and 12) on one fresh portal: signing out ends the session on
// the server, a sign-in pause is told plainly (and a forged X-Forwarded-For does not lift it), real
// server actions leave one audit row each without secrets, the admin's /audit page filters and
// exports, and SALES users get 403 there.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { BrowserContext, Page } from "playwright-core";
import { createPrisma, type Db } from "../../lib/db-core";
import { createOrganization, createUser } from "../factories";
import { launchBrowser, signIn, signOut } from "./browser";
import { startPortal, type PortalServer } from "./portal-server";

let browser: { context: BrowserContext; close: () => Promise<void> };
let page: Page;
let db: Db;
let portal: PortalServer;
let baseUrl: string;
let orgId: string;
let admin: Awaited<ReturnType<typeof createUser>>;
let sales: Awaited<ReturnType<typeof createUser>>;

beforeAll(async () => {
  portal = await startPortal();
  baseUrl = portal.baseUrl;
  browser = await launchBrowser();
  page = await browser.context.newPage();
  page.on("dialog", (d) => void d.accept());
  db = createPrisma(portal.databaseUrl);
  const org = await createOrganization(db, { name: "Audit Telecom" });
  orgId = org.id;
  admin = await createUser(db, org.id, {
    role: "ADMIN",
    email: "ada@audit.example",
    name: "Ada",
    password: "admin-password-1",
  });
  sales = await createUser(db, org.id, {
    role: "SALES",
    email: "sam@audit.example",
    name: "Sam",
    password: "sales-password-1",
  });
});

afterAll(async () => {
  await browser?.close();
  await db?.$disconnect();
  await portal?.stop();
});

/** A request with only the given cookie, never following redirects. */
function requestWithCookie(path: string, cookie: string) {
  return fetch(`${baseUrl}${path}`, { headers: { cookie }, redirect: "manual" });
}

describe("sessions", () => {
  it("a session cookie copied before sign-out no longer opens a page or an API route", async () => {
    await signIn(page, baseUrl, sales.email, sales.password);
    const cookies = await browser.context.cookies(baseUrl);
    const token = cookies.find((c) => c.name.endsWith("next-auth.session-token"));
    if (!token) throw new Error(`no session cookie among ${cookies.map((c) => c.name).join(", ")}`);
    const copied = `${token.name}=${token.value}`;
    const customer = await db.customer.create({ data: { organizationId: orgId, name: "Session Test", number: "S-1" } });

    expect((await requestWithCookie("/customers", copied)).status).toBe(200);
    expect((await requestWithCookie(`/api/customers/${customer.id}/sync-status`, copied)).status).toBe(200);

    await signOut(page);
    const row = await db.authSession.findFirstOrThrow({ where: { userId: sales.id }, orderBy: { createdAt: "desc" } });
    expect(row.revokedAt).not.toBeNull();
    expect(row.ipAddress).toBe("127.0.0.1");
    expect(await db.auditEvent.findFirst({ where: { action: "auth.sign_out", targetId: row.id } })).toMatchObject({
      actorUserId: sales.id,
      ipAddress: "127.0.0.1",
    });

    const pageAfter = await requestWithCookie("/customers", copied);
    expect(pageAfter.status).toBe(307);
    expect(pageAfter.headers.get("location")).toContain("/login");
    expect((await requestWithCookie(`/api/customers/${customer.id}/sync-status`, copied)).status).toBe(401);
    await db.customer.delete({ where: { id: customer.id } });
  });

  it("tells the user plainly when sign-in is paused, and a forged X-Forwarded-For does not lift it", async () => {
    const victim = await createUser(db, orgId, {
      role: "SALES",
      email: "paused@audit.example",
      password: "paused-password-1",
    });
    // Twelve recent failures for this e-mail from this browser's address (the socket, 127.0.0.1).
    const now = Date.now();
    await db.signInFailure.createMany({
      data: Array.from({ length: 12 }, (_, i) => ({
        email: victim.email,
        ipAddress: "127.0.0.1",
        createdAt: new Date(now - (12 - i) * 100),
      })),
    });
    await page.setExtraHTTPHeaders({ "x-forwarded-for": "203.0.113.77" });
    await page.goto(`${baseUrl}/login`);
    await page.getByLabel("E-mail").fill(victim.email);
    await page.getByLabel("Password").fill(victim.password);
    await page.getByRole("button", { name: "Sign in" }).click();
    await page
      .getByRole("alert")
      .filter({ hasText: /^Too many attempts\. Try again in [23] minutes\.$/ })
      .waitFor();
    expect(page.url()).toContain("/login");
    // An unknown e-mail with as many failures gets the very same kind of answer.
    await db.signInFailure.createMany({
      data: Array.from({ length: 12 }, (_, i) => ({
        email: "ghost@audit.example",
        ipAddress: "127.0.0.1",
        createdAt: new Date(now - (12 - i) * 100),
      })),
    });
    await page.getByLabel("E-mail").fill("ghost@audit.example");
    await page.getByRole("button", { name: "Sign in" }).click();
    await page
      .getByRole("alert")
      .filter({ hasText: /^Too many attempts\. Try again in [23] minutes\.$/ })
      .waitFor();
    await page.setExtraHTTPHeaders({});
  });
});

describe("audit log", () => {
  it("records one row per real server action, with who, what and from where, and never a typed password", async () => {
    await signIn(page, baseUrl, admin.email, admin.password);

    await page.goto(`${baseUrl}/customers/new`);
    await page.getByLabel("Name", { exact: true }).fill("Audit Hotel");
    await page.getByLabel("Customer number").fill("A-1");
    await page.getByRole("button", { name: "Create customer" }).click();
    await page.getByRole("heading", { name: "Audit Hotel" }).waitFor();
    const customer = await db.customer.findFirstOrThrow({ where: { organizationId: orgId, number: "A-1" } });

    await page.getByLabel("MAC address").fill("000413AA0001");
    await page.getByRole("button", { name: "Add phone" }).click();
    await page.getByRole("link", { name: "000413AA0001" }).waitFor();
    const phone = await db.phone.findFirstOrThrow({ where: { organizationId: orgId, mac: "000413AA0001" } });

    await page.goto(`${baseUrl}/customers/${customer.id}/edit`);
    await page.getByLabel("Name", { exact: true }).fill("Audit Hotel Renamed");
    await page.getByRole("button", { name: "Save changes" }).click();
    await page.getByRole("heading", { name: "Audit Hotel Renamed" }).waitFor();

    await page.goto(`${baseUrl}/customers/${customer.id}/import`);
    await page.getByLabel("MAC addresses").fill("000413AA0002\n000413AA0003");
    await page.getByRole("button", { name: "Check", exact: true }).click();
    await page.getByRole("button", { name: "Add 2 phones" }).click();
    await page.getByText("2 phones added").waitFor();

    await page.goto(`${baseUrl}/customers/${customer.id}`);
    await page.getByRole("button", { name: "Sync now" }).click();
    await page.getByText("3 phones queued.").waitFor();

    const second = await db.customer.create({ data: { organizationId: orgId, name: "Second Site", number: "A-2" } });
    const moved = await db.phone.findFirstOrThrow({ where: { organizationId: orgId, mac: "000413AA0003" } });
    await page.goto(`${baseUrl}/phones/${moved.id}/edit`);
    await page.getByLabel("Customer").selectOption(second.id);
    await page.getByRole("button", { name: "Save changes" }).click();
    await page.waitForURL(new RegExp(`/phones/${moved.id}$`));

    await page.goto(`${baseUrl}/users`);
    await page.getByLabel("Name").fill("Una");
    await page.getByLabel("E-mail").fill("una@audit.example");
    await page.getByLabel("Initial password").fill("Typed-Secret-User-1");
    await page.getByRole("button", { name: "Add user" }).click();
    await page.getByText("Una can now sign in with una@audit.example").waitFor();
    const una = await db.user.findUniqueOrThrow({ where: { email: "una@audit.example" } });
    await page.getByRole("button", { name: "Make Una admin" }).click();
    await page.getByRole("button", { name: "Make Una sales" }).waitFor();
    const row = page.getByRole("row").filter({ hasText: "una@audit.example" });
    await row.getByText("Set a new password").click();
    await row.getByLabel("New password for Una").fill("Typed-Secret-Reset-2");
    await row.getByRole("button", { name: "Set password" }).click();
    await row.getByText("Password set.").waitFor();

    await page.goto(`${baseUrl}/settings`);
    await page.getByLabel("Organization name").fill("Audit Telecom GmbH");
    await page.getByRole("button", { name: "Save", exact: true }).first().click();
    await page.getByText("Organization settings saved.").waitFor();

    await page.goto(`${baseUrl}/phones/${phone.id}`);
    await page.getByRole("button", { name: "Delete phone" }).click();
    // The customer page, with the notice of the deleted phone (audit-6).
    await page.waitForURL(new RegExp(`/customers/${customer.id}\\?deleted=${phone.mac}$`));
    // Marked for removal, or already gone once the worker deregistered it.
    await expect
      .poll(async () => {
        const p = await db.phone.findUnique({ where: { id: phone.id } });
        return !p || p.deletedAt !== null;
      })
      .toBe(true);

    const events = await db.auditEvent.findMany({
      where: { organizationId: orgId, actorUserId: admin.id },
      orderBy: { createdAt: "asc" },
    });
    const byAction = (action: string) => events.filter((e) => e.action === action);
    for (const action of [
      "customer.create",
      "phone.create",
      "customer.update",
      "import.paste_add",
      "customer.sync",
      "phone.move",
      "user.create",
      "user.role",
      "user.password_reset",
      "org.update",
      "phone.delete",
    ]) {
      expect(byAction(action), action).toHaveLength(1);
      expect(byAction(action)[0]).toMatchObject({ actorEmail: admin.email, ipAddress: "127.0.0.1" });
    }
    expect(byAction("auth.sign_in").length).toBeGreaterThanOrEqual(1);
    expect(byAction("customer.create")[0]).toMatchObject({
      targetType: "customer",
      targetId: customer.id,
      summary: "Audit Hotel (A-1)",
    });
    expect(byAction("customer.update")[0]!.summary).toBe("name “Audit Hotel” → “Audit Hotel Renamed”");
    expect(byAction("import.paste_add")[0]).toMatchObject({
      targetId: customer.id,
      summary: "Into “Audit Hotel Renamed”: 2 added, 0 moved, 0 skipped",
    });
    expect(byAction("customer.sync")[0]!.summary).toBe("Sync now: 3 phones of Audit Hotel Renamed queued");
    expect(byAction("phone.move")[0]).toMatchObject({ targetId: moved.id });
    expect(byAction("phone.move")[0]!.summary).toBe("000413AA0003: customer “Audit Hotel Renamed” → “Second Site”");
    expect(byAction("user.create")[0]).toMatchObject({ targetId: una.id, summary: "una@audit.example (SALES)" });
    expect(byAction("user.role")[0]!.summary).toBe("una@audit.example: role → ADMIN");
    expect(byAction("org.update")[0]!.summary).toContain("name “Audit Telecom” → “Audit Telecom GmbH”");
    expect(byAction("phone.delete")[0]).toMatchObject({
      targetId: phone.id,
      summary: "000413AA0001 of customer Audit Hotel Renamed",
    });

    const everything = JSON.stringify(await db.auditEvent.findMany());
    expect(everything).not.toContain("Typed-Secret");
    expect(everything).not.toContain("admin-password-1");
    expect(everything).not.toContain("$2");
  });

  it("shows the organization's events on /audit with filters in the URL, and exports them as CSV", async () => {
    await page.goto(`${baseUrl}/audit`);
    await page.getByRole("heading", { name: "Audit log" }).waitFor();
    await page.getByLabel("Action").selectOption("customer.create");
    await page.waitForURL(/action=customer\.create/);
    const rows = page.locator("tbody tr");
    await expect.poll(() => rows.count()).toBe(1);
    expect(await rows.first().textContent()).toContain("Audit Hotel (A-1)");

    await page.goto(`${baseUrl}/audit`);
    await page.getByLabel("Search summaries").fill("Second Site");
    await page.getByRole("button", { name: "Search" }).click();
    await page.waitForURL(/q=Second\+Site/);
    await expect.poll(() => rows.count()).toBe(1);
    expect(await rows.first().textContent()).toContain("Phone moved");

    // A failed sign-in for an unknown e-mail belongs to no organization: never listed.
    await db.auditEvent.create({
      data: {
        organizationId: null,
        actorEmail: "stranger@elsewhere.example",
        action: "auth.sign_in_failed",
        targetType: "user",
        summary: "Unknown e-mail.",
      },
    });
    const exported = await page.evaluate(async () => {
      const res = await fetch("/audit/export?action=customer.create");
      return { status: res.status, type: res.headers.get("content-type"), body: await res.text() };
    });
    expect(exported.status).toBe(200);
    expect(exported.type).toContain("text/csv");
    const lines = exported.body
      .replace(/^\uFEFF/, "")
      .trim()
      .split("\r\n");
    expect(lines[0]).toBe("Time (UTC),User,Action,Action code,Target type,Target id,Summary,Client address");
    expect(lines).toHaveLength(2);
    expect(lines[1]).toContain("Audit Hotel (A-1)");
    expect(lines[1]).toContain("127.0.0.1");
    const all = await page.evaluate(() => fetch("/audit/export").then((r) => r.text()));
    expect(all).not.toContain("stranger@elsewhere.example");
    const bad = await page.evaluate(() => fetch("/audit/export?from=2026-02-31").then((r) => r.status));
    expect(bad).toBe(400);
  });

  it("keeps SALES users out of the audit log and its export (403, saying why)", async () => {
    await signOut(page);
    await signIn(page, baseUrl, sales.email, sales.password);
    expect(await page.getByRole("link", { name: "Audit log" }).count()).toBe(0);
    // No loading.tsx on /audit, so the 403 is a real status, not a streamed page.
    expect((await page.goto(`${baseUrl}/audit`))?.status()).toBe(403);
    await page.getByText("Only admins can read the audit log.").waitFor();
    expect(await page.content()).not.toContain("Audit Hotel");
    const status = await page.evaluate(() => fetch("/audit/export").then((r) => r.status));
    expect(status).toBe(403);
  });
});
