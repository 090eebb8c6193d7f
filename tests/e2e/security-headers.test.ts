// Browser hardening on a real `next start`: security headers on every kind of response, a strict
// nonce CSP the whole app works under (no violation in chromium), and no framing by another site.
import http from "node:http";
import type { ConsoleMessage, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createPrisma, type Db } from "../../lib/db-core";
import { createOrganization, createUser } from "../factories";
import { launchBrowser, signIn, signOut } from "./browser";
import { freePort, startPortal, type PortalServer } from "./portal-server";
import { rawRequest } from "./raw-http";

let portal: PortalServer;
let db: Db;
let user: { email: string; password: string };
let browser: Awaited<ReturnType<typeof launchBrowser>>;

beforeAll(async () => {
  // No worker: added phones stay pending, so the customer page keeps polling its progress.
  portal = await startPortal({ SYNC_WORKER: "off" });
  db = createPrisma(portal.databaseUrl);
  const org = await createOrganization(db, { name: "Header Telecom" });
  user = await createUser(db, org.id, { email: "admin@headers.example" });
  browser = await launchBrowser();
});

afterAll(async () => {
  await browser?.close();
  await db?.$disconnect();
  await portal?.stop();
});

function expectSecurityHeaders(headers: http.IncomingHttpHeaders, what: string) {
  const csp = String(headers["content-security-policy"]);
  expect(csp, what).toMatch(/frame-ancestors 'none'/);
  expect(csp, what).toMatch(/script-src 'self' 'nonce-[A-Za-z0-9+/=]{16,}' 'strict-dynamic'/);
  expect(csp, what).toMatch(/object-src 'none'/);
  expect(csp, what).not.toContain("unsafe-eval");
  expect(headers["x-frame-options"], what).toBe("DENY");
  expect(headers["x-content-type-options"], what).toBe("nosniff");
  expect(headers["referrer-policy"], what).toBe("strict-origin-when-cross-origin");
  expect(headers["permissions-policy"], what).toMatch(/camera=\(\)/);
  expect(headers["strict-transport-security"], `${what}: no HSTS over plain http`).toBeUndefined();
}

describe("security headers", () => {
  it("are on a page, an API route, a static asset, a 404 and a refused request", async () => {
    const login = await rawRequest(portal.baseUrl, { path: "/login" });
    expect(login.status).toBe(200);
    expectSecurityHeaders(login.headers, "page");
    const asset = login.body.match(/\/_next\/static\/[^"]+\.js/)?.[0];
    expect(asset).toBeDefined();
    const responses = {
      api: await rawRequest(portal.baseUrl, { path: "/api/health" }),
      asset: await rawRequest(portal.baseUrl, { path: asset! }),
      missingPage: await rawRequest(portal.baseUrl, { path: "/no-such-page" }),
      missingAsset: await rawRequest(portal.baseUrl, { path: "/_next/static/nope.js" }),
      refused: await rawRequest(portal.baseUrl, { method: "PUT", path: "/login", headers: { "Content-Length": "0" } }),
    };
    expect(responses.api.status).toBe(200);
    expect(responses.asset.status).toBe(200);
    expect(responses.missingPage.status).toBe(404);
    expect(responses.missingAsset.status).toBe(404);
    expect(responses.refused.status).toBe(405);
    for (const [what, res] of Object.entries(responses)) expectSecurityHeaders(res.headers, what);
  });

  it("a fresh nonce per response, on every script Next renders", async () => {
    const nonces = new Set<string>();
    for (let i = 0; i < 3; i++) {
      const res = await rawRequest(portal.baseUrl, { path: "/login" });
      const nonce = String(res.headers["content-security-policy"]).match(/'nonce-([^']+)'/)![1];
      nonces.add(nonce);
      const scripts = [...res.body.matchAll(/<script\b[^>]*>/g)].map((m) => m[0]);
      expect(scripts.length).toBeGreaterThan(0);
      for (const tag of scripts) expect(tag).toContain(`nonce="${nonce}"`);
    }
    expect(nonces.size).toBe(3);
  });

  it("HSTS only when the request came over https through a trusted proxy", async () => {
    const trusted = await startPortal({ TRUST_PROXY: "on" });
    try {
      const https = await rawRequest(trusted.baseUrl, { path: "/login", headers: { "X-Forwarded-Proto": "https" } });
      expect(https.headers["strict-transport-security"]).toMatch(/^max-age=31536000/);
      expect(String(https.headers["content-security-policy"])).toContain("upgrade-insecure-requests");
      const plain = await rawRequest(trusted.baseUrl, { path: "/api/health", headers: { "X-Forwarded-Proto": "http" } });
      expect(plain.headers["strict-transport-security"]).toBeUndefined();
    } finally {
      await trusted.stop();
    }
    // Without TRUST_PROXY anyone could send the header: it is ignored.
    const spoofed = await rawRequest(portal.baseUrl, { path: "/login", headers: { "X-Forwarded-Proto": "https" } });
    expect(spoofed.headers["strict-transport-security"]).toBeUndefined();
  });
});

describe("in chromium", () => {
  /** CSP violations: console errors chromium logs, and the DOM's securitypolicyviolation events. */
  async function watchCsp(page: Page): Promise<() => Promise<string[]>> {
    const messages: string[] = [];
    page.on("console", (m: ConsoleMessage) => {
      if (m.type() === "error" && /Content Security Policy|Refused to/i.test(m.text())) messages.push(m.text());
    });
    await page.addInitScript(() => {
      const w = window as unknown as { __cspViolations: string[] };
      w.__cspViolations = [];
      document.addEventListener("securitypolicyviolation", (e) =>
        w.__cspViolations.push(`${e.violatedDirective} ${e.blockedURI}`),
      );
    });
    return async () => [
      ...messages,
      ...(await page.evaluate(() => (window as unknown as { __cspViolations: string[] }).__cspViolations)),
    ];
  }

  it("the app works under the CSP: sign-in, pages, server actions, live polling, sign-out, no violation", async () => {
    const page = await browser.context.newPage();
    const violations = await watchCsp(page);
    const seen: string[] = [];
    const collect = async () => seen.push(...(await violations()));

    const first = await page.goto(`${portal.baseUrl}/login`);
    expect(first?.headers()["content-security-policy"]).toMatch(/script-src 'self' 'nonce-/);
    await signIn(page, portal.baseUrl, user.email, user.password);
    await page.getByRole("heading", { name: "Dashboard" }).waitFor();
    await collect();

    // The dashboard has a "New customer" link too: wait for the customers page before clicking the next
    // link, or the two navigations race and the later one can land on the list instead of the form.
    await page.getByRole("link", { name: "Customers" }).click();
    await page.waitForURL(/\/customers$/);
    await page.getByRole("link", { name: "New customer" }).first().click();
    await page.getByRole("heading", { name: "New customer" }).waitFor();
    await page.getByLabel("Name", { exact: true }).fill("CSP Customer");
    await page.getByLabel("Customer number").fill("CSP-1");
    await page.getByRole("button", { name: "Create customer" }).click();
    await page.getByRole("heading", { name: "CSP Customer" }).waitFor();
    await collect();

    await page.getByLabel("MAC address").fill("00:04:13:00:00:01");
    // The live status route answers 304 while nothing changed (ETag); either is a poll that went through.
    const polled = page.waitForResponse((r) => r.url().includes("/sync-status") && [200, 304].includes(r.status()), { timeout: 15_000 });
    await page.getByRole("button", { name: "Add phone" }).click();
    await page.getByRole("link", { name: "000413000001" }).waitFor();
    await page.getByRole("progressbar", { name: "Sync progress" }).waitFor();
    await polled;
    await collect();

    const customer = await db.customer.findFirstOrThrow({ where: { name: "CSP Customer" } });
    const phone = await db.phone.findFirstOrThrow({ where: { customerId: customer.id } });
    for (const path of [
      "/phones",
      `/phones/${phone.id}`,
      `/phones/${phone.id}/edit`,
      `/customers/${customer.id}/edit`,
      `/customers/${customer.id}/import`,
      "/import",
      "/settings",
      "/settings/redirection",
      "/users",
      "/no-such-page",
    ]) {
      await page.goto(`${portal.baseUrl}${path}`);
      await page.waitForLoadState("networkidle");
      await collect();
    }
    await page.goto(`${portal.baseUrl}/customers`);
    await signOut(page);
    await collect();

    expect(seen).toEqual([]);
    expect(await db.customer.count({ where: { name: "CSP Customer" } })).toBe(1);
    await page.close();
  });

  it("another site cannot frame the portal: the frame stays blank and chromium reports it blocked", async () => {
    const port = await freePort();
    const portalUrl = portal.baseUrl.replace("127.0.0.1", "localhost");
    const framer = http.createServer((_req, res) => {
      res.writeHead(200, { "Content-Type": "text/html" });
      res.end(`<!doctype html><title>evil</title><iframe id="victim" src="${portalUrl}/login" width="600" height="400"></iframe>`);
    });
    await new Promise<void>((resolve) => framer.listen(port, "127.0.0.1", resolve));
    const page = await browser.context.newPage();
    const blocked: string[] = [];
    page.on("console", (m) => {
      if (/frame-ancestors|X-Frame-Options|Refused to (display|frame)/i.test(m.text())) blocked.push(m.text());
    });
    try {
      await page.goto(`http://127.0.0.1:${port}/`, { waitUntil: "domcontentloaded" });
      await expect.poll(() => blocked.length, { timeout: 10_000 }).toBeGreaterThan(0);
      const frame = page.frames().find((f) => f !== page.mainFrame());
      expect(frame).toBeDefined();
      // Chromium replaces a frame it refuses to render with its error page.
      await expect.poll(() => frame!.url(), { timeout: 10_000 }).toBe("chrome-error://chromewebdata/");
      expect(await frame!.locator("input").count()).toBe(0);
      expect(await frame!.getByText("Sign in").count()).toBe(0);
    } finally {
      await page.close();
      framer.closeAllConnections();
      await new Promise((r) => framer.close(r));
    }
  });
});
