// Choosing a configuration profile for a customer whose phones fetch from an outside server: the
// portal must not promise "the phones get it with their next fetch" (audit 6, point 3).
// Real database built from the migrations.
import { beforeAll, describe, expect, it } from "vitest";
import { prisma } from "@/lib/db";
import type { Actor } from "@/lib/data/common";
import { describeProfileSaved, setCustomerProfile } from "@/lib/data/provisioning";
import { createCustomer, createOrganization, createUser } from "../factories";

let sales: Actor;
let profileId: string;
const TOKEN = "tok-audit6-0123456789";
const OWN = `https://portal.example.net/prov/${TOKEN}/{mac}.xml`;

beforeAll(async () => {
  const org = await createOrganization(prisma, { name: "Acme", urlTemplate: OWN });
  await prisma.organization.update({ where: { id: org.id }, data: { provToken: TOKEN } });
  sales = { ...(await createUser(prisma, org.id, { role: "SALES" })), role: "SALES" };
  profileId = (await prisma.provisioningProfile.create({ data: { organizationId: org.id, name: "Office" } })).id;
});

describe("a profile chosen for a customer", () => {
  it("promises the next fetch only when the phones fetch from the portal; else says where to change the URL", async () => {
    const served = await createCustomer(prisma, sales.organizationId, { name: "Served here" });
    const outside = await createCustomer(prisma, sales.organizationId, {
      name: "Outside",
      urlTemplate: "https://prov.example/snom/{mac}.xml",
    });

    const here = await setCustomerProfile(sales, served.id, profileId);
    expect(here).toMatchObject({ ok: true, outsideUrl: null });
    expect(describeProfileSaved(here?.ok ? here.outsideUrl : undefined)).toBe(
      "Configuration profile saved. The phones get it with their next fetch.",
    );

    const there = await setCustomerProfile(sales, outside.id, profileId);
    expect(there).toMatchObject({ ok: true, outsideUrl: "https://prov.example/snom/{mac}.xml" });
    const sentence = describeProfileSaved(there?.ok ? there.outsideUrl : undefined);
    expect(sentence).toBe(
      "Configuration profile saved, but this customer's phones fetch their settings from https://prov.example/snom/{mac}.xml, not from the portal: " +
        "it applies only once they use the portal's provisioning URL (Edit customer → Provisioning URL template, or the default URL under Settings → Provisioning server).",
    );
    expect(sentence).not.toContain("next fetch");
    // The choice is still saved: it takes effect once the URL changes.
    expect((await prisma.customer.findUniqueOrThrow({ where: { id: outside.id } })).profileId).toBe(profileId);
  });
});
