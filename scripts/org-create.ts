// `npm run org:create -- --name <name> --admin-email <e-mail> [--admin-name <name>] [--url-template <url>]`
// Adds another reseller organization with its first admin and prints an initial password.
import { parseArgs } from "node:util";
import { createPrisma } from "../lib/db-core";
import { env } from "../lib/env";
import { createOrganizationWithAdmin, NewOrganizationSchema } from "../lib/org-bootstrap";

async function main() {
  const { values } = parseArgs({
    options: {
      name: { type: "string" },
      "admin-email": { type: "string" },
      "admin-name": { type: "string" },
      "url-template": { type: "string" },
    },
    strict: true,
  });
  const parsed = NewOrganizationSchema.safeParse({
    name: values.name ?? "",
    adminEmail: values["admin-email"] ?? "",
    adminName: values["admin-name"],
    urlTemplate: values["url-template"],
  });
  if (!parsed.success) {
    for (const issue of parsed.error.issues) console.error(`--${String(issue.path[0]).replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}: ${issue.message}`);
    console.error("usage: npm run org:create -- --name <name> --admin-email <e-mail> [--admin-name <name>] [--url-template <url>]");
    process.exit(2);
  }
  const db = createPrisma(env.DATABASE_URL);
  try {
    const result = await createOrganizationWithAdmin(db, parsed.data);
    console.log(`Organization “${parsed.data.name}” created.`);
    console.log(`  admin: ${result.adminEmail}`);
    console.log(`  initial password: ${result.password}`);
    console.log("Give it to the admin over a safe channel: the portal asks them to choose their own password at the first sign-in.");
  } finally {
    await db.$disconnect();
  }
}

main().catch((e) => {
  console.error(e instanceof Error ? e.message : String(e));
  process.exit(1);
});
