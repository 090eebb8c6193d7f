// `npm run db:seed`: a demo organization with an admin, a sales user, a few customers and phones.
// Prints the credentials. Safe to run twice (the second run changes nothing).
import { createPrisma } from "../lib/db-core";
import { env } from "../lib/env";
import { createOrganizationWithAdmin, generatePassword } from "../lib/org-bootstrap";
import { enqueueNewPhones } from "../lib/sync/outbox";
import { customerKeys, phoneKeys } from "../lib/search-key";
import bcrypt from "bcryptjs";

const ADMIN_EMAIL = "admin@demo.example";
const SALES_EMAIL = "sales@demo.example";

const CUSTOMERS = [
  { name: "Bäckerei Müller", number: "K-1001", contactName: "Anna Müller", macs: ["000413A1B201", "000413A1B202", "000413A1B203"] },
  { name: "Hotel Seeblick", number: "K-1002", contactName: "Jonas Weber", macs: ["000413A1B301", "000413A1B302", "00087B0A0B01"] },
  { name: "Kanzlei Schmidt & Partner", number: "K-1003", contactName: "Eva Schmidt", macs: ["000413A1B401"] },
];

async function main() {
  const db = createPrisma(env.DATABASE_URL);
  try {
    if (await db.user.findUnique({ where: { email: ADMIN_EMAIL } })) {
      console.log(`The demo organization already exists (${ADMIN_EMAIL}); nothing changed.`);
      return;
    }
    const admin = await createOrganizationWithAdmin(db, {
      name: "Demo Reseller",
      adminEmail: ADMIN_EMAIL,
      adminName: "Demo Admin",
      urlTemplate: "https://prov.demo.example/snom/{mac}.xml",
    });
    const salesPassword = generatePassword();
    const creator = await db.user.findUniqueOrThrow({ where: { email: ADMIN_EMAIL }, select: { id: true } });
    await db.user.create({
      data: {
        organizationId: admin.organizationId,
        email: SALES_EMAIL,
        name: "Demo Sales",
        role: "SALES",
        passwordHash: await bcrypt.hash(salesPassword, 12),
        // Printed below, chosen by this script: changed at the first sign-in, like the admin's.
        mustChangePassword: true,
      },
    });
    await db.$transaction(async (tx) => {
      for (const c of CUSTOMERS) {
        const customer = await tx.customer.create({
          data: {
            organizationId: admin.organizationId,
            name: c.name,
            number: c.number,
            contactName: c.contactName,
            ...customerKeys(c),
            createdById: creator.id,
            updatedById: creator.id,
          },
        });
        const phones = [];
        for (const [i, mac] of c.macs.entries()) {
          phones.push(
            await tx.phone.create({
              data: {
                organizationId: admin.organizationId,
                customerId: customer.id,
                mac,
                label: `Extension ${201 + i}`,
                ...phoneKeys({ label: `Extension ${201 + i}` }),
                model: mac.startsWith("00087B") ? "M700" : "D785",
                createdById: creator.id,
                updatedById: creator.id,
              },
              select: { id: true, mac: true },
            }),
          );
        }
        await enqueueNewPhones(tx, admin.organizationId, phones);
      }
    });
    console.log("Demo organization “Demo Reseller” created. Sign in with:");
    console.log(`  admin: ${ADMIN_EMAIL}  password: ${admin.password}`);
    console.log(`  sales: ${SALES_EMAIL}  password: ${salesPassword}`);
    console.log("Each is asked to choose their own password at the first sign-in.");
  } finally {
    await db.$disconnect();
  }
}

main().catch((e) => {
  console.error(e instanceof Error ? e.message : e);
  process.exit(1);
});
