// Review finding "mask 6", over raw HTTP against `next start`: the portal's provisioning URL holds
// the organization's token and its HTTP basic credentials, which open /prov/<token>/<MAC>.xml and so
// every line's SIP password. A sales user (no `phones:configure`, decision 0017) gets every page,
// RSC payload and export with the token masked and the credentials removed, cannot learn them by
// sending a form back, and leaves the stored URL as it was; admins still see the whole URL.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createPrisma, type Db } from "../../lib/db-core";
import { createCustomer, createUser } from "../factories";
import xmlrpc from "xmlrpc";
import type { Simulator } from "../../lib/redirection/simulator";
import { createCustomOrg, SIM_PASSWORD, SIM_USER, startTestSimulator, TEST_KEY_HEX } from "../support/sync-fixtures";
import { startPortal, type PortalServer } from "./portal-server";
import { actionIds, callAction, rawRequest, signInRaw } from "./raw-http";

const PROV_USER = "prov-mask6";
const PROV_PASSWORD = "Prov:Pass@6060";
const MASKED = "/prov/••••••/";
const MAC_OWN = "000413D33000";
const MAC_DEFAULT = "000413D33001";

let portal: PortalServer;
let simulator: Simulator;
let db: Db;
let ids: Record<string, string>;
let orgId: string;
let admin: Awaited<ReturnType<typeof createUser>>;
let sales: Awaited<ReturnType<typeof createUser>>;
let adminCookie: string;
let salesCookie: string;
let token: string;
let template: string;
let customerOwnId: string;
let customerDefaultId: string;
let phoneOwnId: string;
let phoneDefaultId: string;

/** An action as the browser calls it; fails the test on anything but a normal answer. */
async function act(cookie: string, page: string, action: string, fields: [string, string][]) {
  const res = await callAction(portal.baseUrl, { page, actionId: ids[action], cookie, fields });
  expect(res.status, res.body.slice(0, 300)).toBeLessThan(400);
  return res;
}

async function get(cookie: string, path: string) {
  const res = await rawRequest(portal.baseUrl, { path, headers: { Cookie: cookie } });
  expect(res.status, `${path}: ${res.body.slice(0, 200)}`).toBe(200);
  return res.body;
}

/** The same page as the client router asks for it: the RSC payload only (after Next's cache-busting redirect). */
async function getRsc(cookie: string, path: string) {
  const headers = { Cookie: cookie, RSC: "1" };
  let res = await rawRequest(portal.baseUrl, { path, headers });
  if (res.status === 307 && typeof res.headers.location === "string") {
    const next = new URL(res.headers.location, portal.baseUrl);
    res = await rawRequest(portal.baseUrl, { path: next.pathname + next.search, headers });
  }
  expect(res.status, path).toBe(200);
  expect(res.headers["content-type"], path).toContain("text/x-component");
  return res.body;
}

function expectNoSecret(body: string, where: string) {
  expect(body.includes(token), `${where} shows the token`).toBe(false);
  for (const secret of [PROV_PASSWORD, encodeURIComponent(PROV_PASSWORD), `${PROV_USER}:`]) {
    expect(body.includes(secret), `${where} shows ${secret}`).toBe(false);
  }
}

beforeAll(async () => {
  portal = await startPortal({ PORTAL_SECRET_KEY: TEST_KEY_HEX });
  db = createPrisma(portal.databaseUrl);
  ids = actionIds();
  simulator = await startTestSimulator();
  const org = await createCustomOrg(db, simulator.url, { urlTemplate: null });
  orgId = org.id;
  admin = await createUser(db, org.id, { role: "ADMIN", email: "ada@mask.example", name: "Ada Admin" });
  sales = await createUser(db, org.id, { role: "SALES", email: "sam@mask.example", name: "Sam Sales" });
  adminCookie = await signInRaw(portal.baseUrl, admin.email, admin.password);
  salesCookie = await signInRaw(portal.baseUrl, sales.email, sales.password);

  // The admin makes the portal the provisioning server, its URL the default, with HTTP credentials.
  const settings = "/settings/provisioning";
  await act(adminCookie, settings, "provisioningAddressAction", [["intent", "rotate"]]);
  await act(adminCookie, settings, "provisioningAddressAction", [["intent", "use-default"]]);
  await act(adminCookie, settings, "provisioningCredentialsAction", [
    ["intent", "save"],
    ["username", PROV_USER],
    ["password", PROV_PASSWORD],
  ]);
  const stored = await db.organization.findUniqueOrThrow({ where: { id: orgId }, select: { provToken: true, urlTemplate: true } });
  token = stored.provToken!;
  template = stored.urlTemplate!;
  expect(template).toContain(`${PROV_USER}:${encodeURIComponent(PROV_PASSWORD)}@`);
  expect(template).toContain(`/prov/${token}/{mac}.xml`);

  // One customer and phone carry the URL themselves (as a rotation leaves them), one uses the default.
  customerOwnId = (await createCustomer(db, orgId, { name: "Hotel Seeblick", number: "C-1", urlTemplate: template })).id;
  customerDefaultId = (await createCustomer(db, orgId, { name: "Praxis Berg", number: "C-2", urlTemplate: null })).id;
  const own = await db.phone.create({
    data: { organizationId: orgId, customerId: customerOwnId, mac: MAC_OWN, label: "Reception", urlOverride: template, registeredUrl: template },
  });
  phoneOwnId = own.id;
  phoneDefaultId = (await db.phone.create({ data: { organizationId: orgId, customerId: customerDefaultId, mac: MAC_DEFAULT } })).id;
  // Registered at the service with the whole URL, as the worker does.
  const client = xmlrpc.createClient({ url: simulator.url, basic_auth: { user: SIM_USER, pass: SIM_PASSWORD } } as never);
  await new Promise((resolve, reject) =>
    client.methodCall("redirect.registerPhone", [MAC_OWN, template], (err: unknown, value: unknown) => (err ? reject(err) : resolve(value))),
  );
  expect(simulator.state().phones[MAC_OWN]?.url).toBe(template);
  await db.syncEvent.create({
    data: { organizationId: orgId, phoneId: phoneOwnId, mac: MAC_OWN, method: "redirect.registerPhone", outcome: "ok", actor: `user:${admin.id}`, url: template, durationMs: 12 },
  });
});

afterAll(async () => {
  await db?.$disconnect();
  await simulator?.close();
  await portal?.stop();
});

const pages = () => [
  `/phones/${phoneOwnId}`,
  `/phones/${phoneDefaultId}`,
  "/phones",
  `/customers/${customerOwnId}`,
  `/customers/${customerDefaultId}`,
  `/customers/${customerOwnId}/edit`,
  `/phones/${phoneOwnId}/edit`,
  "/",
];

describe("the portal's provisioning URL and a sales user", () => {
  it("sales get no page, RSC payload or export with the token or the credentials, only the masked URL; admins the whole URL", async () => {
    for (const path of pages()) {
      expectNoSecret(await get(salesCookie, path), path);
      expectNoSecret(await getRsc(salesCookie, path), `${path} (RSC)`);
    }
    expect(await get(salesCookie, `/phones/${phoneOwnId}`)).toContain(MASKED);
    expect(await get(salesCookie, `/phones/${phoneOwnId}/edit`)).toContain(MASKED);
    expect(await get(salesCookie, `/customers/${customerOwnId}/edit`)).toContain(MASKED);
    const csv = await get(salesCookie, "/phones/export");
    expectNoSecret(csv, "export");
    expect(csv).toContain(`${portal.baseUrl}${MASKED}{mac}.xml`);

    // Admins still see the whole URL, credentials included.
    // The phones list shows no URL (only the export does).
    for (const path of [`/phones/${phoneOwnId}`, `/phones/${phoneDefaultId}`, `/customers/${customerOwnId}`, `/phones/${phoneOwnId}/edit`, `/customers/${customerOwnId}/edit`]) {
      expect(await get(adminCookie, path), path).toContain(token);
    }
    expect(await get(adminCookie, "/phones/export")).toContain(template);
  });

  it("a form sent back unchanged keeps the stored URL; a URL with the mask is refused without revealing it", async () => {
    const editHtml = await get(salesCookie, `/phones/${phoneOwnId}/edit`);
    const shown = template.replace(`${PROV_USER}:${encodeURIComponent(PROV_PASSWORD)}@`, "").replace(token, "••••••");
    expect(editHtml).toContain(shown);

    const phoneFields = (url: string): [string, string][] => [
      ["id", phoneOwnId],
      ["customerId", customerOwnId],
      ["label", "Front desk"],
      ["model", ""],
      ["serial", ""],
      ["urlOverride", url],
    ];
    await act(salesCookie, `/phones/${phoneOwnId}/edit`, "updatePhoneAction", phoneFields(shown));
    const phone = await db.phone.findUniqueOrThrow({ where: { id: phoneOwnId }, select: { label: true, urlOverride: true } });
    expect(phone).toEqual({ label: "Front desk", urlOverride: template });

    const changed = shown.replace("{mac}.xml", "{mac}-new.xml");
    const refused = await act(salesCookie, `/phones/${phoneOwnId}/edit`, "updatePhoneAction", phoneFields(changed));
    expect(refused.body).toContain("the hidden part of the portal's provisioning address");
    expectNoSecret(refused.body, "refused phone edit");
    expect((await db.phone.findUniqueOrThrow({ where: { id: phoneOwnId }, select: { urlOverride: true } })).urlOverride).toBe(template);

    const customerFields = (url: string): [string, string][] => [
      ["id", customerOwnId],
      ["name", "Hotel Seeblick am See"],
      ["number", "C-1"],
      ["contactName", ""],
      ["contactEmail", ""],
      ["contactPhone", ""],
      ["notes", ""],
      ["urlTemplate", url],
    ];
    await act(salesCookie, `/customers/${customerOwnId}/edit`, "updateCustomerAction", customerFields(shown));
    const customer = await db.customer.findUniqueOrThrow({ where: { id: customerOwnId }, select: { name: true, urlTemplate: true } });
    expect(customer).toEqual({ name: "Hotel Seeblick am See", urlTemplate: template });

    // A new URL of another server is taken as typed.
    await act(salesCookie, `/customers/${customerOwnId}/edit`, "updateCustomerAction", customerFields("https://prov.example.net/snom/{mac}.xml"));
    expect((await db.customer.findUniqueOrThrow({ where: { id: customerOwnId }, select: { urlTemplate: true } })).urlTemplate).toBe(
      "https://prov.example.net/snom/{mac}.xml",
    );
  });

  it("Check redirection answers sales with both URLs masked, admins with the whole ones", async () => {
    const check = (cookie: string) =>
      act(cookie, `/phones/${phoneOwnId}`, "checkRedirectionAction", [["id", phoneOwnId]]).then((r) => r.body);
    const forSales = await check(salesCookie);
    expectNoSecret(forSales, "Check redirection");
    expect(forSales).toContain(MASKED);
    expect(forSales).toContain('"matches":true');
    expect(await check(adminCookie)).toContain(template);
  });
});
