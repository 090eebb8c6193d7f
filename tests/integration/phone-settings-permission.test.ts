// A phone's own settings (single-setting overrides such as its SIP password user_pass:1) are
// admins' business (docs/decisions/0017-phone-settings-admins-only.md): the data layer behind
// phoneOverrideAction refuses a sales user before it reads or writes anything, and lets an admin
// through. Real database built from the migrations.
import { beforeAll, describe, expect, it } from "vitest";
import { prisma } from "@/lib/db";
import type { Actor } from "@/lib/data/common";
import { listPhoneOverrides, setPhoneOverride } from "@/lib/data/provisioning";
import { decryptOverrides } from "@/lib/provisioning/render";
import { PERMISSION_DENIED_MESSAGES } from "@/lib/auth/roles";
import { createCustomer, createOrganization, createUser } from "../factories";

let admin: Actor;
let sales: Actor;
let phoneId: string;

const storedPhone = () =>
  prisma.phone.findUniqueOrThrow({ where: { id: phoneId }, select: { provOverridesEnc: true, updatedById: true, updatedAt: true } });

beforeAll(async () => {
  const org = await createOrganization(prisma, { name: "Acme" });
  admin = { ...(await createUser(prisma, org.id, { role: "ADMIN" })), role: "ADMIN" };
  sales = { ...(await createUser(prisma, org.id, { role: "SALES" })), role: "SALES" };
  const customer = await createCustomer(prisma, org.id);
  phoneId = (await prisma.phone.create({ data: { organizationId: org.id, customerId: customer.id, mac: "000413A1C0DE" } })).id;
});

describe("a phone's settings overrides", () => {
  it("refuse a sales user with a clear sentence and write nothing (set or remove); an admin writes them", async () => {
    const before = await storedPhone();
    expect(await setPhoneOverride(sales, phoneId, "user_pass:1", "Stolen-Line-1")).toEqual({
      ok: false,
      message: PERMISSION_DENIED_MESSAGES["phones:configure"],
    });
    expect(PERMISSION_DENIED_MESSAGES["phones:configure"]).toBe(
      "Only admins can change a phone's settings (such as its SIP password). Ask an admin of your organization.",
    );
    expect(await storedPhone()).toEqual(before);
    expect(before.provOverridesEnc).toBeNull();

    expect(await setPhoneOverride(admin, phoneId, "user_pass:1", "Admin-Chosen-1")).toEqual({ ok: true });
    const withPassword = await storedPhone();
    expect(await setPhoneOverride(sales, phoneId, "user_pass:1", null)).toMatchObject({ ok: false });
    expect(await setPhoneOverride(sales, phoneId, "user_name:1", "4711")).toMatchObject({ ok: false });
    expect(await storedPhone()).toEqual(withPassword);
    expect(decryptOverrides(withPassword.provOverridesEnc)).toEqual({ "user_pass:1": "Admin-Chosen-1" });

    // An admin changes them; anyone of the organization sees the list with the password hidden.
    expect(await setPhoneOverride(admin, phoneId, "user_pass:1", "Admin-Chosen-2")).toEqual({ ok: true });
    expect(await setPhoneOverride(admin, phoneId, "language", "Deutsch")).toEqual({ ok: true });
    const stored = await storedPhone();
    expect(decryptOverrides(stored.provOverridesEnc)).toEqual({ "user_pass:1": "Admin-Chosen-2", language: "Deutsch" });
    expect(stored.updatedById).toBe(admin.id);
    const listed = [
      { key: "language", secret: false, value: "Deutsch" },
      { key: "user_pass:1", secret: true, value: null },
    ];
    expect(await listPhoneOverrides(sales, phoneId)).toEqual(listed);
    expect(await listPhoneOverrides(admin, phoneId)).toEqual(listed);

    expect(await setPhoneOverride(admin, phoneId, "language", null)).toEqual({ ok: true });
    expect(decryptOverrides((await storedPhone()).provOverridesEnc)).toEqual({ "user_pass:1": "Admin-Chosen-2" });
  });
});
