// The audit log's lib functions on a real database: writes from the action helper, tenant scoping,
// filters, the spreadsheet-safe export lines and the 400-day retention.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { prisma } from "@/lib/db";
import { pruneAuthAndAudit, writeAuditEvent } from "@/lib/audit/events";
import {
  auditCustomerNames,
  auditUserLabel,
  describePhoneEdit,
  recordAudit,
  recordPhoneAudit,
  recordSetup,
} from "@/lib/audit/record";
import {
  auditTargetHref,
  describeAuditMacs,
  describeChanges,
  describeImportAdd,
  describeRedirectionAccount,
} from "@/lib/audit/summary";
import { applyBulkOperation } from "@/lib/data/bulk-phones";
import { requeuePhones } from "@/lib/data/phones";
import { setPhoneOverride } from "@/lib/data/provisioning";
import { auditCsvLine } from "@/lib/audit/csv";
import { iterateAuditEvents, listAuditEvents, parseAuditFilter } from "@/lib/data/audit";
import { createOrganization, createUser } from "../factories";

type U = Omit<Awaited<ReturnType<typeof createUser>>, "role"> & { role: "ADMIN" | "SALES" };
let acmeAdmin: U;
let acmeSales: U;
let rivalAdmin: U;

beforeAll(async () => {
  const acme = await createOrganization(prisma, { name: "Acme" });
  const rival = await createOrganization(prisma, { name: "Rival" });
  acmeAdmin = { ...(await createUser(prisma, acme.id, { email: "ada@acme.example" })), role: "ADMIN" };
  acmeSales = { ...(await createUser(prisma, acme.id, { email: "sam@acme.example", role: "SALES" })), role: "SALES" };
  rivalAdmin = { ...(await createUser(prisma, rival.id, { email: "rob@rival.example" })), role: "ADMIN" };
});

afterAll(async () => {
  await prisma.$disconnect();
});

const at = (iso: string) => new Date(iso);

describe("recordAudit", () => {
  it("writes one row with who, what and the organization; no address outside a request", async () => {
    await recordAudit(acmeAdmin, "customer.create", { type: "customer", id: "c1" }, "Hotel Seeblick (K-1)");
    const rows = await prisma.auditEvent.findMany({ where: { action: "customer.create", targetId: "c1" } });
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({
      organizationId: acmeAdmin.organizationId,
      actorUserId: acmeAdmin.id,
      actorEmail: "ada@acme.example",
      targetType: "customer",
      summary: "Hotel Seeblick (K-1)",
      ipAddress: null,
    });
  });

  it("records the first-run setup under the new admin", async () => {
    await recordSetup("ada@acme.example");
    const row = await prisma.auditEvent.findFirstOrThrow({ where: { action: "org.setup" } });
    expect(row).toMatchObject({
      organizationId: acmeAdmin.organizationId,
      actorUserId: acmeAdmin.id,
      summary: "Acme, first admin ada@acme.example",
    });
  });

  it("names a phone's new customer on a move, and only a customer of the actor's organization", async () => {
    const target = await prisma.customer.create({
      data: { organizationId: acmeAdmin.organizationId, name: "Hotel B", number: "B-1" },
    });
    const foreign = await prisma.customer.create({
      data: { organizationId: rivalAdmin.organizationId, name: "Rival Hotel", number: "R-1" },
    });
    const before = {
      mac: "000413AABBCC",
      label: null,
      model: null,
      serial: null,
      urlOverride: null,
      customer: { id: "c-a", name: "Hotel A" },
    };
    const fields = { label: "Desk 2", model: null, serial: null, urlOverride: null };
    expect(await describePhoneEdit(acmeAdmin, before, { customerId: target.id, ...fields })).toEqual({
      action: "phone.move",
      summary: "000413AABBCC: customer “Hotel A” → “Hotel B”; label – → “Desk 2”",
    });
    expect(await describePhoneEdit(acmeAdmin, before, { customerId: "c-a", ...fields })).toEqual({
      action: "phone.update",
      summary: "000413AABBCC: label – → “Desk 2”",
    });
    expect((await describePhoneEdit(acmeAdmin, before, { customerId: foreign.id, ...fields })).summary).not.toContain(
      "Rival Hotel",
    );
  });

  it("names users by e-mail only within the actor's organization", async () => {
    expect(await auditUserLabel(acmeAdmin, acmeSales.id)).toBe("sam@acme.example");
    expect(await auditUserLabel(acmeAdmin, rivalAdmin.id)).toBe(rivalAdmin.id);
  });
});

describe("summaries", () => {
  it("lists only changed fields, cut to 60 characters", () => {
    expect(describeChanges({ name: "A", notes: null }, { name: "B", notes: null })).toBe("name “A” → “B”");
    expect(describeChanges({ name: "A" }, { name: "A" })).toBe("no changes");
    expect(describeChanges(null, { notes: "x".repeat(100) })).toBe(`notes – → “${"x".repeat(59)}…”`);
  });

  it("describes a redirection account without its password or URL credentials", () => {
    const text = describeRedirectionAccount({
      endpointKind: "CUSTOM",
      customUrl: "https://user:Url-Secret@rds.example.net:8083/xmlrpc/?token=Query-Secret",
      username: "reseller",
      password: "Typed-Secret",
    });
    expect(text).toBe("Custom URL https://rds.example.net:8083/xmlrpc/, username “reseller”, new password");
    expect(text).not.toMatch(/Secret/);
    expect(describeRedirectionAccount({ endpointKind: "SRAPS", username: "r" })).toBe("snom SRAPS, username “r”");
    expect(describeRedirectionAccount({ endpointKind: "SANDBOX" }, "Built-in sandbox")).toBe("Built-in sandbox");
  });
});

describe("reading the log", () => {
  beforeAll(async () => {
    const base = { targetType: "customer", ipAddress: "192.0.2.1" };
    const acme = { organizationId: acmeAdmin.organizationId, actorUserId: acmeAdmin.id, actorEmail: acmeAdmin.email };
    await writeAuditEvent(prisma, {
      ...acme,
      ...base,
      action: "customer.update",
      summary: "name “Alpha” → “Beta”",
      createdAt: at("2026-03-01T08:00:00Z"),
    });
    await writeAuditEvent(prisma, {
      ...acme,
      ...base,
      action: "customer.delete",
      summary: "Gamma (K-9)",
      createdAt: at("2026-03-02T23:59:59Z"),
    });
    await writeAuditEvent(prisma, {
      organizationId: acmeSales.organizationId,
      actorUserId: acmeSales.id,
      actorEmail: acmeSales.email,
      ...base,
      action: "phone.create",
      summary: "000413000001 for customer X",
      createdAt: at("2026-03-03T00:00:00Z"),
    });
    await writeAuditEvent(prisma, {
      organizationId: rivalAdmin.organizationId,
      actorUserId: rivalAdmin.id,
      actorEmail: rivalAdmin.email,
      ...base,
      action: "customer.update",
      summary: "name “Rival secret” → “Beta”",
      createdAt: at("2026-03-01T09:00:00Z"),
    });
    await writeAuditEvent(prisma, {
      organizationId: null,
      actorUserId: null,
      actorEmail: "ghost@nowhere.example",
      action: "auth.sign_in_failed",
      targetType: "user",
      summary: "Unknown e-mail.",
    });
  });

  it("shows an admin only their organization's events, never another's or ones without an organization", async () => {
    const { items } = await listAuditEvents(acmeAdmin, {});
    const emails = new Set(items.map((e) => e.actorEmail));
    expect(emails.has("rob@rival.example")).toBe(false);
    expect(emails.has("ghost@nowhere.example")).toBe(false);
    expect(items.some((e) => e.summary.includes("Rival secret"))).toBe(false);
    const rival = await listAuditEvents(rivalAdmin, {});
    expect(rival.items.map((e) => e.summary)).toEqual(["name “Rival secret” → “Beta”"]);
  });

  it("filters by action, user, inclusive date range and text", async () => {
    const summaries = async (params: Record<string, string>) => {
      const { filter, errors } = parseAuditFilter(params);
      expect(errors).toEqual({});
      return (await listAuditEvents(acmeAdmin, filter)).items.map((e) => e.summary);
    };
    expect(await summaries({ action: "customer.update" })).toEqual(["name “Alpha” → “Beta”"]);
    expect(await summaries({ user: acmeSales.id })).toEqual(["000413000001 for customer X"]);
    expect(await summaries({ from: "2026-03-01", to: "2026-03-02" })).toEqual(["Gamma (K-9)", "name “Alpha” → “Beta”"]);
    expect(await summaries({ from: "2026-03-03", to: "2026-03-03" })).toEqual(["000413000001 for customer X"]);
    expect(await summaries({ q: "gamma" })).toEqual(["Gamma (K-9)"]);
    const all: string[] = [];
    for await (const e of iterateAuditEvents(acmeAdmin, parseAuditFilter({ to: "2026-03-31" }).filter))
      all.push(e.summary);
    expect(all).toEqual(["000413000001 for customer X", "Gamma (K-9)", "name “Alpha” → “Beta”"]);
  });

  it("explains bad filters instead of failing", () => {
    const { filter, errors } = parseAuditFilter({
      action: "drop.table",
      from: "2026-02-31",
      to: "yesterday",
      q: "x".repeat(201),
      page: "2",
    });
    expect(filter).toEqual({ page: 2 });
    expect(errors).toEqual({
      action: "Choose an action from the list.",
      from: "This date does not exist.",
      to: "Use a date like 2026-11-29.",
      q: "Search for at most 200 characters.",
    });
    expect(parseAuditFilter({ from: "2026-03-05", to: "2026-03-01" }).errors).toEqual({
      to: "The end date is before the start date.",
    });
  });

  it("exports lines a spreadsheet cannot run as formulas", () => {
    const line = auditCsvLine({
      createdAt: at("2026-03-01T08:00:00Z"),
      actorEmail: "ada@acme.example",
      action: "customer.create",
      targetType: "customer",
      targetId: "c1",
      summary: '=HYPERLINK("http://evil.example","x") (K-1)',
      ipAddress: "192.0.2.1",
    });
    expect(line).toBe(
      `2026-03-01T08:00:00.000Z,ada@acme.example,Customer created,customer.create,customer,c1,"'=HYPERLINK(""http://evil.example"",""x"") (K-1)",192.0.2.1\r\n`,
    );
  });
});

describe("imports name their customer", () => {
  it("a paste and a file import name the customer (only the actor's), link it, and “muller” finds both", async () => {
    const mueller = await prisma.customer.create({
      data: { organizationId: acmeAdmin.organizationId, name: "Bäckerei Müller", number: "M-1" },
    });
    const foreign = await prisma.customer.create({
      data: { organizationId: rivalAdmin.organizationId, name: "Rival Müller", number: "M-1" },
    });
    const customers = await auditCustomerNames(acmeAdmin, [mueller.id, foreign.id]);
    expect(customers).toEqual(["Bäckerei Müller"]);
    const counts = { created: 39, moved: 0, skipped: 0 };
    await recordAudit(
      acmeAdmin,
      "import.paste_add",
      { type: "customer", id: mueller.id },
      describeImportAdd({ customers, ...counts }),
    );
    await recordAudit(
      acmeAdmin,
      "import.file_add",
      { type: "customer", id: mueller.id },
      describeImportAdd({ fileName: "telefone.csv", customers, ...counts }),
    );
    const { items } = await listAuditEvents(acmeAdmin, parseAuditFilter({ q: "muller" }).filter);
    const rows = items.map((e) => [e.action, e.summary, auditTargetHref(e.action, e.targetType, e.targetId)]);
    expect(rows.sort()).toEqual([
      [
        "import.file_add",
        "File “telefone.csv” into “Bäckerei Müller”: 39 added, 0 moved, 0 skipped",
        `/customers/${mueller.id}`,
      ],
      ["import.paste_add", "Into “Bäckerei Müller”: 39 added, 0 moved, 0 skipped", `/customers/${mueller.id}`],
    ]);
  });
});

describe("phone rows name their phones", () => {
  it("an override, a Send again and a bulk delete of 2 phones name their MACs and customer; a MAC search finds them", async () => {
    const weber = await prisma.customer.create({
      data: { organizationId: acmeAdmin.organizationId, name: "Zahnarztpraxis Dr. Weber", number: "W-1" },
    });
    const phone = (mac: string) =>
      prisma.phone.create({ data: { organizationId: acmeAdmin.organizationId, customerId: weber.id, mac } });
    const desk = await phone("000413D34003");
    const [a, b] = [await phone("000413D34011"), await phone("000413D34012")];

    expect(await setPhoneOverride(acmeAdmin, desk.id, "user_pass:1", "Line-Secret-1")).toEqual({ ok: true });
    await recordPhoneAudit(acmeAdmin, "phone.setting_override", desk.id, "user_pass:1 set");
    expect(await requeuePhones(acmeAdmin, { phoneIds: [desk.id] })).toBe(1);
    await recordPhoneAudit(acmeAdmin, "phone.retry", desk.id, "Sent again: our record said synced, but the service had no registration");
    const bulk = await applyBulkOperation(acmeAdmin, { kind: "ids", phoneIds: [b.id, a.id] }, { kind: "delete" });
    expect(bulk).toMatchObject({ ok: true, count: 2, selected: 2, auditMacs: ["000413D34011", "000413D34012"] });
    if (!bulk?.ok) throw new Error("bulk delete failed");
    await recordAudit(
      acmeAdmin,
      "phone.bulk",
      { type: "phone", id: null },
      `2 phones queued for deletion: ${describeAuditMacs(bulk.auditMacs, bulk.selected)}`,
    );

    const found = async (q: string) =>
      (await listAuditEvents(acmeAdmin, parseAuditFilter({ q }).filter)).items
        .map((e) => [e.action, e.summary, auditTargetHref(e.action, e.targetType, e.targetId)])
        .sort();
    expect(await found("000413D34003")).toEqual([
      ["phone.retry", "000413D34003 of customer Zahnarztpraxis Dr. Weber: Sent again: our record said synced, but the service had no registration", `/phones/${desk.id}`],
      ["phone.setting_override", "000413D34003 of customer Zahnarztpraxis Dr. Weber: user_pass:1 set", `/phones/${desk.id}`],
    ]);
    const bulkRow = ["phone.bulk", "2 phones queued for deletion: 000413D34011, 000413D34012", null];
    // The deleted phones' rows no longer link (the phone is being removed); the live one's do.
    await recordPhoneAudit(acmeAdmin, "phone.owner_recheck", a.id, "Still owned elsewhere");
    const recheck = (await listAuditEvents(acmeAdmin, parseAuditFilter({ q: "000413D34011" }).filter)).items;
    expect(recheck.map((e) => [e.action, e.targetGone]).sort()).toEqual([["phone.bulk", false], ["phone.owner_recheck", true]]);
    expect((await listAuditEvents(acmeAdmin, parseAuditFilter({ q: "000413D34003" }).filter)).items.map((e) => e.targetGone)).toEqual([false, false]);
    expect(await found("000413d34012")).toEqual([bulkRow]);
    expect((await found("00:04:13:D3:40:11")).filter((r) => r[0] === "phone.bulk")).toEqual([bulkRow]);
    expect(JSON.stringify(await found("Weber"))).not.toContain("Line-Secret");
  });

  it("a bulk row names at most 20 MACs, then counts the rest", () => {
    const macs = Array.from({ length: 20 }, (_, i) => `000413${String(i).padStart(6, "0")}`);
    expect(describeAuditMacs(macs.slice(0, 2))).toBe("000413000000, 000413000001");
    expect(describeAuditMacs(macs, 25)).toBe(`${macs.join(", ")} and 5 more`);
  });
});

describe("retention", () => {
  it("keeps audit events 400 days, prunes older ones, old sign-in failures and ended sessions", async () => {
    const now = at("2027-06-01T12:00:00Z");
    const day = 24 * 60 * 60_000;
    const ev = (createdAt: Date, summary: string) =>
      writeAuditEvent(prisma, {
        organizationId: acmeAdmin.organizationId,
        actorUserId: null,
        actorEmail: "x@acme.example",
        action: "org.update",
        targetType: "organization",
        summary,
        createdAt,
      });
    await ev(new Date(now.getTime() - 400 * day + 60_000), "kept: just under 400 days");
    await ev(new Date(now.getTime() - 400 * day - 60_000), "pruned: just over 400 days");
    await prisma.signInFailure.create({
      data: { email: "a@x.example", ipAddress: "192.0.2.9", createdAt: new Date(now.getTime() - 2 * day) },
    });
    await prisma.signInFailure.create({
      data: { email: "b@x.example", ipAddress: "192.0.2.9", createdAt: new Date(now.getTime() - 60_000) },
    });
    const live = await prisma.authSession.create({
      data: { userId: acmeAdmin.id, expiresAt: new Date(now.getTime() + day) },
    });
    const expired = await prisma.authSession.create({
      data: { userId: acmeAdmin.id, expiresAt: new Date(now.getTime() - 2 * day) },
    });

    const removed = await pruneAuthAndAudit(prisma, now);
    expect(removed.auditEvents).toBeGreaterThanOrEqual(1);
    const left = (await prisma.auditEvent.findMany({ where: { action: "org.update" } })).map((e) => e.summary);
    expect(left).toContain("kept: just under 400 days");
    expect(left).not.toContain("pruned: just over 400 days");
    expect(await prisma.signInFailure.count({ where: { email: "a@x.example" } })).toBe(0);
    expect(await prisma.signInFailure.count({ where: { email: "b@x.example" } })).toBe(1);
    expect(await prisma.authSession.findUnique({ where: { id: live.id } })).not.toBeNull();
    expect(await prisma.authSession.findUnique({ where: { id: expired.id } })).toBeNull();
  });
});
