// The provisioning server against a real database: the endpoint's answers and fetch tracking, basic
// credentials, the rate limit, token rotation through the outbox, encrypted secrets, and the syslog
// receiver over real UDP on loopback.
import dgram from "node:dgram";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";

vi.hoisted(() => {
  process.env.PROV_RATE_LIMIT = "30";
  process.env.PUBLIC_URL = "https://portal.example.net";
});

import { prisma } from "@/lib/db";
import { storedBytes } from "../support/test-db";
import type { Actor } from "@/lib/data/common";
import {
  createProfile,
  deleteProfile,
  getPhoneTimeline,
  listPhoneOverrides,
  previewPhoneSettings,
  rotateProvisioningToken,
  saveProvisioningCredentials,
  setCustomerProfile,
  setDefaultProfile,
  setPhoneOverride,
  updateProfile,
  useProvisioningUrlAsDefault,
} from "@/lib/data/provisioning";
import { ProfileSettingsSchema } from "@/lib/provisioning/profile";
import { servePhoneSettings, type ProvisionRequest } from "@/lib/provisioning/serve";
import { startSyslogReceiver, type SyslogReceiver } from "@/lib/provisioning/syslog";
import { createCustomer, createOrganization, createUser } from "../factories";

const D785 = "Mozilla/4.0 (compatible; snomD785-SIP 10.1.33.33 1.1.3-s)";
let admin: Actor;
let other: Actor;
let token: string;
let phoneId: string;
let customerId: string;
let receiver: SyslogReceiver;

const req = (over: Partial<ProvisionRequest> = {}): ProvisionRequest => ({
  token,
  file: "000413A1B2C3.xml",
  forwardedFor: "203.0.113.7",
  userAgent: D785,
  authorization: null,
  ...over,
});

beforeAll(async () => {
  const org = await createOrganization(prisma, { name: "Acme", urlTemplate: null });
  admin = { ...(await createUser(prisma, org.id, { role: "ADMIN" })), role: "ADMIN" };
  const orgB = await createOrganization(prisma, { name: "Other" });
  other = { ...(await createUser(prisma, orgB.id, { role: "ADMIN" })), role: "ADMIN" };
  customerId = (await createCustomer(prisma, org.id, { name: "Hotel Seeblick", number: "C-7" })).id;
  phoneId = (
    await prisma.phone.create({
      data: { organizationId: org.id, customerId, mac: "000413A1B2C3", label: "Reception", syncStatus: "synced" },
    })
  ).id;
  const rotated = await useProvisioningUrlAsDefault(admin);
  expect(rotated.ok).toBe(true);
  token = (await prisma.organization.findUniqueOrThrow({ where: { id: org.id } })).provToken!;
  receiver = await startSyslogReceiver({ db: prisma, host: "127.0.0.1", port: 0, linesPerPhone: 3 });
});

afterAll(async () => {
  await receiver?.close();
});

describe("provisioning endpoint", () => {
  it("the organization's default URL becomes the portal's, and the phone is queued for re-registration", async () => {
    const org = await prisma.organization.findUniqueOrThrow({ where: { id: admin.organizationId } });
    expect(org.urlTemplate).toBe(`https://portal.example.net/prov/${token}/{mac}.xml`);
    expect(token).toMatch(/^[A-Za-z0-9_-]{32}$/);
    expect(await prisma.syncJob.count({ where: { phoneId } })).toBe(1);
  });

  it("answers an unknown MAC, a wrong token, another organization's MAC and a malformed file name with the same 404", async () => {
    const orgB = await prisma.organization.update({
      where: { id: other.organizationId },
      data: { provToken: "b".repeat(32) },
    });
    await prisma.phone.create({
      data: { organizationId: orgB.id, customerId: (await createCustomer(prisma, orgB.id)).id, mac: "000413FFFFFF" },
    });
    for (const r of [
      req({ file: "000413000001.xml" }),
      req({ token: "x".repeat(32) }),
      req({ token: "short" }),
      req({ file: "000413FFFFFF.xml" }),
      req({ file: "../../etc/passwd" }),
      req({ file: "000413A1B2C3.txt" }),
    ]) {
      expect(await servePhoneSettings(prisma, r)).toEqual({ status: 404 });
    }
  });

  it("serves the profile's file with placeholders filled, records the fetch and fills the model from the User-Agent", async () => {
    const created = await createProfile(admin, "Standard");
    if (!created.ok) throw new Error(created.message);
    await updateProfile(admin, created.id, {
      name: "Standard",
      settings: ProfileSettingsSchema.parse({
        language: "Deutsch",
        timezone: "GER+1",
        lines: [{ sipUser: "{customer_number}-{label}", registrar: "pbx.example.net", displayName: "{label} & Co" }],
      }),
      adminPassword: "Admin-Secret-771",
    });
    await setDefaultProfile(admin, created.id);
    await setPhoneOverride(admin, phoneId, "user_pass:1", "Sip-Secret-993");

    const res = await servePhoneSettings(prisma, req({ forwardedFor: "198.51.100.1, 127.0.0.1" }));
    expect(res.status).toBe(200);
    const body = (res as { body: string }).body;
    expect(body).toContain('<user_name idx="1" perm="RW">C-7-Reception</user_name>');
    expect(body).toContain('<user_realname idx="1" perm="RW">Reception &amp; Co</user_realname>');
    expect(body).toContain('<user_pass idx="1" perm="R">Sip-Secret-993</user_pass>');
    expect(body).toContain('<admin_mode_password perm="R">Admin-Secret-771</admin_mode_password>');

    const phone = await prisma.phone.findUniqueOrThrow({ where: { id: phoneId } });
    expect(phone).toMatchObject({
      model: "snomD785",
      provFetchCount: 1,
      provLastAddress: "127.0.0.1",
      provFirstModel: "snomD785",
      provFirstFirmware: "10.1.33.33",
      provFirmware: "10.1.33.33",
      provLastChanged: false,
    });
    expect(phone.provFirstFetchAt).not.toBeNull();
  });

  it("marks whether the file changed since the fetch before", async () => {
    await servePhoneSettings(prisma, req({ forwardedFor: "127.0.0.1" }));
    expect((await prisma.phone.findUniqueOrThrow({ where: { id: phoneId } })).provLastChanged).toBe(false);
    await setPhoneOverride(admin, phoneId, "timezone", "USA-5");
    await servePhoneSettings(
      prisma,
      req({ forwardedFor: "127.0.0.1", userAgent: "Mozilla/4.0 (compatible; snomD785-SIP 10.1.54.13 1.1.3-s)" }),
    );
    const phone = await prisma.phone.findUniqueOrThrow({ where: { id: phoneId } });
    expect(phone).toMatchObject({
      provLastChanged: true,
      provFetchCount: 3,
      provFirmware: "10.1.54.13",
      provFirstFirmware: "10.1.33.33",
    });
  });

  it("keeps passwords encrypted at rest and out of what the browser gets", async () => {
    const preview = await previewPhoneSettings(admin, phoneId);
    expect(preview).toContain('<user_pass idx="1" perm="R">********</user_pass>');
    expect(preview).not.toContain("Sip-Secret-993");
    expect(preview).not.toContain("Admin-Secret-771");
    expect(await listPhoneOverrides(admin, phoneId)).toEqual([
      { key: "timezone", secret: false, value: "USA-5" },
      { key: "user_pass:1", secret: true, value: null },
    ]);
    const raw = storedBytes(process.env.DATABASE_URL!);
    expect(raw.includes(Buffer.from("Sip-Secret-993"))).toBe(false);
    expect(raw.includes(Buffer.from("Admin-Secret-771"))).toBe(false);
    // Another organization sees none of it.
    expect(await previewPhoneSettings(other, phoneId)).toBeNull();
    expect(await setPhoneOverride(other, phoneId, "language", "x")).toBeNull();
    expect(await setCustomerProfile(other, customerId, null)).toBeNull();
  });

  it("answers 401 without the organization's basic credentials and 200 with them; the URL carries them", async () => {
    const saved = await saveProvisioningCredentials(admin, { username: "phone", password: "p@ss:wörd/1" });
    expect(saved).toMatchObject({ ok: true, requeued: 1 });
    const org = await prisma.organization.findUniqueOrThrow({ where: { id: admin.organizationId } });
    expect(org.urlTemplate).toBe(`https://phone:p%40ss%3Aw%C3%B6rd%2F1@portal.example.net/prov/${token}/{mac}.xml`);
    expect((await servePhoneSettings(prisma, req({ forwardedFor: "127.0.0.1" }))).status).toBe(401);
    const wrong = `Basic ${Buffer.from("phone:nope").toString("base64")}`;
    expect((await servePhoneSettings(prisma, req({ forwardedFor: "127.0.0.1", authorization: wrong }))).status).toBe(
      401,
    );
    const right = `Basic ${Buffer.from("phone:p@ss:wörd/1").toString("base64")}`;
    expect((await servePhoneSettings(prisma, req({ forwardedFor: "127.0.0.1", authorization: right }))).status).toBe(
      200,
    );
    await saveProvisioningCredentials(admin, null);
  });

  it("rate-limits per organization and address (429 with a wait), other addresses still served", async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 32; i++)
      statuses.push((await servePhoneSettings(prisma, req({ forwardedFor: "192.0.2.50" }))).status);
    expect(statuses.slice(0, 30).every((s) => s === 200)).toBe(true);
    const limited = await servePhoneSettings(prisma, req({ forwardedFor: "192.0.2.50" }));
    expect(limited).toMatchObject({ status: 429 });
    expect((limited as { retryAfterSeconds: number }).retryAfterSeconds).toBeGreaterThan(0);
    expect((await servePhoneSettings(prisma, req({ forwardedFor: "192.0.2.51" }))).status).toBe(200);
  });

  it("rotating the token makes the old address 404 and re-registers the phones with the new URL", async () => {
    await prisma.syncJob.deleteMany({ where: { phoneId } });
    const result = await rotateProvisioningToken(admin);
    expect(result).toMatchObject({ ok: true, requeued: 1, first: false });
    expect((await servePhoneSettings(prisma, req({ forwardedFor: "127.0.0.1" }))).status).toBe(404);
    const org = await prisma.organization.findUniqueOrThrow({ where: { id: admin.organizationId } });
    expect(org.provToken).not.toBe(token);
    expect(org.urlTemplate).toBe(`https://portal.example.net/prov/${org.provToken}/{mac}.xml`);
    expect(await prisma.syncJob.count({ where: { phoneId } })).toBe(1);
    expect((await prisma.phone.findUniqueOrThrow({ where: { id: phoneId } })).syncStatus).toBe("pending");
    token = org.provToken!;
    expect((await servePhoneSettings(prisma, req({ forwardedFor: "127.0.0.1" }))).status).toBe(200);
  });
});

describe("profiles", () => {
  it("deleting a profile moves its customers to the default and clears the default; another organization gets null", async () => {
    const made = await createProfile(admin, "Temporary");
    if (!made.ok) throw new Error(made.message);
    await setCustomerProfile(admin, customerId, made.id);
    await setDefaultProfile(admin, made.id);
    expect(await deleteProfile(other, made.id)).toBeNull();
    expect(await deleteProfile(admin, made.id)).toEqual({ ok: true, customers: 1 });
    expect((await prisma.customer.findUniqueOrThrow({ where: { id: customerId } })).profileId).toBeNull();
    expect(
      (await prisma.organization.findUniqueOrThrow({ where: { id: admin.organizationId } })).defaultProfileId,
    ).toBeNull();
    expect(await createProfile(admin, "Standard")).toMatchObject({
      ok: false,
      message: "A profile named “Standard” exists already.",
    });
  });
});

describe("syslog receiver", () => {
  async function send(text: string) {
    const socket = dgram.createSocket("udp4");
    await new Promise<void>((resolve, reject) =>
      socket.send(Buffer.from(text), receiver.port, "127.0.0.1", (e) => (e ? reject(e) : resolve())),
    );
    socket.close();
  }

  it("stores lines for the phone last fetched from the sender's address, cut to size, capped per phone", async () => {
    await send("<134>Nov 29 20:00:00 snomD785 [boot] provisioning done");
    await expect.poll(() => prisma.phoneLogLine.count({ where: { phoneId } })).toBe(1);
    const line = await prisma.phoneLogLine.findFirstOrThrow({ where: { phoneId } });
    expect(line).toMatchObject({
      severity: 6,
      text: "Nov 29 20:00:00 snomD785 [boot] provisioning done",
      address: "127.0.0.1",
    });

    await send("<131>" + "x".repeat(5000));
    for (const n of [1, 2, 3]) await send(`<134>line ${n}`);
    await expect
      .poll(async () =>
        (await prisma.phoneLogLine.findMany({ where: { phoneId }, orderBy: { receivedAt: "asc" } })).map((l) => l.text),
      )
      .toEqual(["line 1", "line 2", "line 3"]);
    const timeline = await getPhoneTimeline(admin, phoneId);
    expect(timeline?.logLines.map((l) => l.text)).toEqual(["line 3", "line 2", "line 1"]);
    expect(await getPhoneTimeline(other, phoneId)).toBeNull();
  });

  it("drops a line from an address that phones of two organizations were last seen at", async () => {
    const orgB = (await prisma.user.findUniqueOrThrow({ where: { id: other.id } })).organizationId;
    const customerB = await createCustomer(prisma, orgB, { name: "Other's customer" });
    const phoneB = await prisma.phone.create({
      data: {
        organizationId: orgB,
        customerId: customerB.id,
        mac: "000413B0B0B0",
        provLastAddress: "127.0.0.1",
        provLastFetchAt: new Date(),
      },
    });
    const before = await prisma.phoneLogLine.count();
    await send("<134>shared NAT line");
    await send("<134>second shared NAT line");
    // Give the receiver time to handle both datagrams, then nothing may have been stored for anyone.
    await new Promise((r) => setTimeout(r, 500));
    expect(await prisma.phoneLogLine.count()).toBe(before);
    expect(await prisma.phoneLogLine.count({ where: { text: { contains: "shared NAT" } } })).toBe(0);
    await prisma.phone.delete({ where: { id: phoneB.id } });
  });
});
