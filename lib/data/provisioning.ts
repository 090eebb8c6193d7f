import "server-only";
import { randomBytes } from "node:crypto";
import { prisma } from "../db";
import { Prisma } from "../generated/prisma/client";
import { decryptSecret, encryptSecret } from "../crypto";
import { effectiveUrl, enqueuePhoneSync } from "../sync/outbox";
import { provisioningUrlTemplate } from "../provisioning/addresses";
import {
  isSecretSetting,
  MAX_OVERRIDES,
  maskSecrets,
  overrideProblem,
  parseProfileSettings,
  type ProfileSettings,
} from "../provisioning/profile";
import { decryptOverrides, loadPhoneSettings, phoneForSettingsSelect, provisioningKey } from "../provisioning/render";
import { buildSettingsXml } from "../provisioning/settings-xml";
import { hasPermission, PERMISSION_DENIED_MESSAGES } from "../auth/roles";
import { fail, isUniqueViolation, type Actor, type Result } from "./common";
import { runTransaction } from "./transaction";
import { MASKED_TOKEN } from "../urls";

type Tx = Parameters<Parameters<typeof prisma.$transaction>[0]>[0];

/** 32 URL-safe characters (192 random bits): the organization's part of the provisioning URL. */
function newToken(): string {
  return randomBytes(24).toString("base64url");
}

async function currentTemplate(tx: Tx, organizationId: string): Promise<string | null> {
  const org = await tx.organization.findUniqueOrThrow({
    where: { id: organizationId },
    select: { provToken: true, provUsername: true, provPasswordEnc: true },
  });
  if (!org.provToken) return null;
  const basic =
    org.provUsername && org.provPasswordEnc
      ? { username: org.provUsername, password: decryptSecret(org.provPasswordEnc, provisioningKey()) }
      : null;
  return provisioningUrlTemplate(org.provToken, basic);
}

/**
 * Where the portal's old provisioning URL is in use (organization default, customer templates, phone
 * overrides), put the new one and queue those phones for re-registration (lib/sync/outbox.ts).
 * Returns how many phones were queued.
 */
async function replaceTemplate(tx: Tx, organizationId: string, before: string | null, after: string): Promise<number> {
  if (!before || before === after) return 0;
  const org = await tx.organization.findUniqueOrThrow({ where: { id: organizationId }, select: { urlTemplate: true } });
  const phoneIds = new Set<string>();
  if (org.urlTemplate === before) {
    await tx.organization.update({ where: { id: organizationId }, data: { urlTemplate: after } });
    const usesDefault = await tx.phone.findMany({
      where: { organizationId, urlOverride: null, deletedAt: null, customer: { urlTemplate: null } },
      select: { id: true },
    });
    usesDefault.forEach((p) => phoneIds.add(p.id));
  }
  const customers = await tx.customer.findMany({
    where: { organizationId, urlTemplate: before },
    select: { id: true },
  });
  if (customers.length > 0) {
    await tx.customer.updateMany({ where: { organizationId, urlTemplate: before }, data: { urlTemplate: after } });
    const phones = await tx.phone.findMany({
      where: { organizationId, urlOverride: null, deletedAt: null, customerId: { in: customers.map((c) => c.id) } },
      select: { id: true },
    });
    phones.forEach((p) => phoneIds.add(p.id));
  }
  const overridden = await tx.phone.findMany({
    where: { organizationId, urlOverride: before, deletedAt: null },
    select: { id: true },
  });
  if (overridden.length > 0) {
    await tx.phone.updateMany({ where: { organizationId, urlOverride: before }, data: { urlOverride: after } });
    overridden.forEach((p) => phoneIds.add(p.id));
  }
  await enqueuePhoneSync(tx, organizationId, [...phoneIds]);
  return phoneIds.size;
}

/** The provisioning page's data (admins): the URL template with its credentials, profiles, default. */
export async function getProvisioningOverview(actor: Actor) {
  const org = await prisma.organization.findUniqueOrThrow({
    where: { id: actor.organizationId },
    select: { urlTemplate: true, provToken: true, provUsername: true, provPasswordEnc: true, defaultProfileId: true },
  });
  const template = await runTransaction((tx) => currentTemplate(tx, actor.organizationId));
  const profiles = await prisma.provisioningProfile.findMany({
    where: { organizationId: actor.organizationId },
    orderBy: { name: "asc" },
    select: { id: true, name: true },
  });
  const customerCounts = await prisma.customer.groupBy({
    by: ["profileId"],
    where: { organizationId: actor.organizationId, profileId: { not: null } },
    _count: { _all: true },
  });
  const counts = new Map(customerCounts.map((c) => [c.profileId, c._count._all]));
  return {
    hasToken: org.provToken !== null,
    template,
    isDefaultUrl: template !== null && org.urlTemplate === template,
    provUsername: org.provUsername,
    hasProvPassword: org.provPasswordEnc !== null,
    defaultProfileId: org.defaultProfileId,
    profiles: profiles.map((p) => ({ id: p.id, name: p.name, customers: counts.get(p.id) ?? 0 })),
  };
}

/** A new unguessable address (the first one, or a rotation); phones that used the old one are re-registered. */
export async function rotateProvisioningToken(actor: Actor): Promise<Result<{ requeued: number; first: boolean }>> {
  return runTransaction(async (tx) => {
    const before = await currentTemplate(tx, actor.organizationId);
    await tx.organization.update({ where: { id: actor.organizationId }, data: { provToken: newToken() } });
    const after = (await currentTemplate(tx, actor.organizationId))!;
    const requeued = await replaceTemplate(tx, actor.organizationId, before, after);
    return { ok: true as const, requeued, first: before === null };
  });
}

/** The portal's provisioning URL becomes the organization's default URL template. */
export async function useProvisioningUrlAsDefault(actor: Actor): Promise<Result<{ requeued: number }>> {
  return runTransaction(async (tx) => {
    let template = await currentTemplate(tx, actor.organizationId);
    if (!template) {
      await tx.organization.update({ where: { id: actor.organizationId }, data: { provToken: newToken() } });
      template = (await currentTemplate(tx, actor.organizationId))!;
    }
    const org = await tx.organization.findUniqueOrThrow({
      where: { id: actor.organizationId },
      select: { urlTemplate: true },
    });
    if (org.urlTemplate === template) return { ok: true as const, requeued: 0 };
    await tx.organization.update({ where: { id: actor.organizationId }, data: { urlTemplate: template } });
    const affected = await tx.phone.findMany({
      where: {
        organizationId: actor.organizationId,
        urlOverride: null,
        deletedAt: null,
        customer: { urlTemplate: null },
      },
      select: { id: true },
    });
    await enqueuePhoneSync(
      tx,
      actor.organizationId,
      affected.map((p) => p.id),
    );
    return { ok: true as const, requeued: affected.length };
  });
}

/** HTTP basic credentials phones must send (null clears them); the URL in use changes with them. */
export async function saveProvisioningCredentials(
  actor: Actor,
  input: { username: string; password: string } | null,
): Promise<Result<{ requeued: number }>> {
  return runTransaction(async (tx) => {
    const before = await currentTemplate(tx, actor.organizationId);
    await tx.organization.update({
      where: { id: actor.organizationId },
      data: input
        ? { provUsername: input.username, provPasswordEnc: encryptSecret(input.password, provisioningKey()) }
        : { provUsername: null, provPasswordEnc: null },
    });
    const after = await currentTemplate(tx, actor.organizationId);
    const requeued = after ? await replaceTemplate(tx, actor.organizationId, before, after) : 0;
    return { ok: true as const, requeued };
  });
}

export async function createProfile(actor: Actor, name: string): Promise<Result<{ id: string }>> {
  try {
    const profile = await prisma.provisioningProfile.create({
      data: { organizationId: actor.organizationId, name, settingsJson: JSON.stringify(parseProfileSettings("{}")) },
      select: { id: true },
    });
    return { ok: true, id: profile.id };
  } catch (e) {
    if (isUniqueViolation(e))
      return fail(`A profile named “${name}” exists already.`, { name: ["Choose another name."] });
    throw e;
  }
}

/** A profile without its secrets: only whether each password is set. Null for another organization's id. */
export async function getProfile(actor: Actor, id: string) {
  const p = await prisma.provisioningProfile.findFirst({
    where: { id, organizationId: actor.organizationId },
    select: { id: true, name: true, settingsJson: true, adminPasswordEnc: true, httpPasswordEnc: true },
  });
  if (!p) return null;
  return {
    id: p.id,
    name: p.name,
    settings: parseProfileSettings(p.settingsJson),
    hasAdminPassword: p.adminPasswordEnc !== null,
    hasHttpPassword: p.httpPasswordEnc !== null,
  };
}

/**
 * Saves a profile. Passwords: undefined keeps the stored one, "" clears it, anything else replaces it
 * (encrypted). Null for another organization's id.
 */
export async function updateProfile(
  actor: Actor,
  id: string,
  input: { name: string; settings: ProfileSettings; adminPassword?: string; httpPassword?: string },
): Promise<Result | null> {
  const existing = await prisma.provisioningProfile.findFirst({
    where: { id, organizationId: actor.organizationId },
    select: { id: true },
  });
  if (!existing) return null;
  const key = provisioningKey();
  const secret = (v: string | undefined) => (v === undefined ? undefined : v === "" ? null : encryptSecret(v, key));
  try {
    await prisma.provisioningProfile.update({
      where: { id },
      data: {
        name: input.name,
        settingsJson: JSON.stringify(input.settings),
        adminPasswordEnc: secret(input.adminPassword),
        httpPasswordEnc: secret(input.httpPassword),
      },
    });
    return { ok: true };
  } catch (e) {
    if (isUniqueViolation(e))
      return fail(`A profile named “${input.name}” exists already.`, { name: ["Choose another name."] });
    throw e;
  }
}

/**
 * Deletes a profile; its customers fall back to the organization's default, and it stops being the
 * default. Null for another organization's id.
 */
export async function deleteProfile(actor: Actor, id: string): Promise<Result<{ customers: number }> | null> {
  return runTransaction(async (tx) => {
    const profile = await tx.provisioningProfile.findFirst({
      where: { id, organizationId: actor.organizationId },
      select: { id: true },
    });
    if (!profile) return null;
    const { count } = await tx.customer.updateMany({
      where: { organizationId: actor.organizationId, profileId: id },
      data: { profileId: null },
    });
    await tx.organization.updateMany({
      where: { id: actor.organizationId, defaultProfileId: id },
      data: { defaultProfileId: null },
    });
    await tx.provisioningProfile.delete({ where: { id } });
    return { ok: true as const, customers: count };
  });
}

/** The organization's default profile (null: none); null result for another organization's profile id. */
export async function setDefaultProfile(actor: Actor, profileId: string | null): Promise<Result | null> {
  if (profileId) {
    const p = await prisma.provisioningProfile.findFirst({
      where: { id: profileId, organizationId: actor.organizationId },
      select: { id: true },
    });
    if (!p) return null;
  }
  await prisma.organization.update({ where: { id: actor.organizationId }, data: { defaultProfileId: profileId } });
  return { ok: true };
}

export async function listProfileChoices(actor: Actor) {
  return prisma.provisioningProfile.findMany({
    where: { organizationId: actor.organizationId },
    orderBy: { name: "asc" },
    select: { id: true, name: true },
  });
}

/** A customer's profile (null: the organization's default). Null result when either id is foreign. */
export async function setCustomerProfile(
  actor: Actor,
  customerId: string,
  profileId: string | null,
): Promise<Result<{ customerName: string; profileName: string | null; outsideUrl: string | null }> | null> {
  const customer = await prisma.customer.findFirst({
    where: { id: customerId, organizationId: actor.organizationId },
    select: { id: true, name: true, urlTemplate: true, organization: { select: { urlTemplate: true } } },
  });
  if (!customer) return null;
  let profileName: string | null = null;
  if (profileId) {
    const p = await prisma.provisioningProfile.findFirst({
      where: { id: profileId, organizationId: actor.organizationId },
      select: { id: true, name: true },
    });
    if (!p) return fail("That profile does not exist (any more).", { profileId: ["Choose another profile."] });
    profileName = p.name;
  }
  await prisma.customer.update({ where: { id: customerId }, data: { profileId, updatedById: actor.id } });
  const url = effectiveUrl(null, customer.urlTemplate, customer.organization.urlTemplate);
  const outsideUrl = (await isOwnProvisioningUrl(actor, url)) ? null : url;
  return { ok: true, customerName: customer.name, profileName, outsideUrl };
}

/**
 * What the customer page says after a profile is chosen. `outsideUrl`: the customer's effective
 * provisioning URL when it is not the portal's own (null: the portal serves the phones; "" or a
 * missing URL count as not served). A profile reaches only phones that fetch from the portal, so
 * for the others the sentence says so and where to change the URL instead of promising the next fetch.
 */
export function describeProfileSaved(outsideUrl: string | null | undefined): string {
  if (outsideUrl === null) return "Configuration profile saved. The phones get it with their next fetch.";
  const from = outsideUrl ? `fetch their settings from ${outsideUrl}, not from the portal` : "have no provisioning URL";
  return (
    `Configuration profile saved, but this customer's phones ${from}: ` +
    "it applies only once they use the portal's provisioning URL " +
    "(Edit customer → Provisioning URL template, or the default URL under Settings → Provisioning server)."
  );
}

/** The phone's overrides for the browser: secret values never leave the server. */
export async function listPhoneOverrides(actor: Actor, phoneId: string) {
  const phone = await prisma.phone.findFirst({
    where: { id: phoneId, organizationId: actor.organizationId },
    select: { provOverridesEnc: true },
  });
  if (!phone) return null;
  return Object.entries(decryptOverrides(phone.provOverridesEnc))
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([key, value]) => {
      const secret = isSecretSetting(key.split(":")[0]);
      return { key, secret, value: secret ? null : value };
    });
}

/**
 * Sets (value given) or removes (value null) one override of one phone. Null for a foreign phone.
 * Admins only (`phones:configure`: an override can be the line's SIP password, decision 0017): any
 * other role gets `{ ok: false, message }` (PERMISSION_DENIED_MESSAGES) before anything is read or written.
 */
export async function setPhoneOverride(
  actor: Actor,
  phoneId: string,
  key: string,
  value: string | null,
): Promise<Result | null> {
  if (!hasPermission(actor.role, "phones:configure")) return fail(PERMISSION_DENIED_MESSAGES["phones:configure"]);
  return runTransaction(async (tx) => {
    const phone = await tx.phone.findFirst({
      where: { id: phoneId, organizationId: actor.organizationId },
      select: { id: true, provOverridesEnc: true },
    });
    if (!phone) return null;
    const overrides = decryptOverrides(phone.provOverridesEnc);
    if (value === null) delete overrides[key];
    else {
      const problem = overrideProblem(key, value);
      if (problem) return fail(problem, { [OVERRIDE_FIELD(key, problem)]: [problem] });
      if (!(key in overrides) && Object.keys(overrides).length >= MAX_OVERRIDES) {
        return fail(`At most ${MAX_OVERRIDES} settings per phone.`);
      }
      overrides[key] = value;
    }
    await tx.phone.update({
      where: { id: phone.id },
      data: {
        provOverridesEnc: Object.keys(overrides).length
          ? encryptSecret(JSON.stringify(overrides), provisioningKey())
          : null,
        updatedById: actor.id,
      },
    });
    return { ok: true as const };
  });
}

const OVERRIDE_FIELD = (_key: string, problem: string) => (problem.startsWith("Setting names") ? "key" : "value");

async function orgForSettings(actor: Actor) {
  return prisma.organization.findUniqueOrThrow({
    where: { id: actor.organizationId },
    select: { id: true, name: true, defaultProfileId: true },
  });
}

/** The exact file the phone receives, with password values masked for the browser. Null for a foreign phone. */
export async function previewPhoneSettings(actor: Actor, phoneId: string): Promise<string | null> {
  const phone = await prisma.phone.findFirst({
    where: { id: phoneId, organizationId: actor.organizationId },
    select: phoneForSettingsSelect,
  });
  if (!phone) return null;
  const settings = await loadPhoneSettings(prisma, await orgForSettings(actor), phone);
  return buildSettingsXml(maskSecrets(settings));
}

/** Everything the phone page's timeline shows, oldest stage first. Null for a foreign phone. */
/**
 * Whether `url` (a phone's effective provisioning URL template) is this organization's own
 * provisioning address, i.e. its path holds `/prov/<the organization's token>/`. The host is not
 * compared: behind a proxy the portal may be reached by several names, and the token is unguessable.
 */
export async function isOwnProvisioningUrl(actor: Actor, url: string | null): Promise<boolean> {
  if (!url) return false;
  const org = await prisma.organization.findUniqueOrThrow({
    where: { id: actor.organizationId },
    select: { provToken: true },
  });
  // A masked URL (provisioningUrlRedactor) has MASKED_TOKEN where this organization's token was.
  return url.includes(`/prov/${MASKED_TOKEN}/`) || (org.provToken !== null && url.includes(`/prov/${org.provToken}/`));
}

export async function getPhoneTimeline(actor: Actor, phoneId: string) {
  const phone = await prisma.phone.findFirst({
    where: { id: phoneId, organizationId: actor.organizationId },
    select: {
      createdAt: true,
      createdById: true,
      provFirstFetchAt: true,
      provLastFetchAt: true,
      provFetchCount: true,
      provLastAddress: true,
      provUserAgent: true,
      provFirstModel: true,
      provFirstFirmware: true,
      provFirmware: true,
      provLastChanged: true,
    },
  });
  if (!phone) return null;
  const [creator, pushed, accepted, lines] = await Promise.all([
    phone.createdById
      ? prisma.user.findFirst({
          where: { id: phone.createdById, organizationId: actor.organizationId },
          select: { name: true },
        })
      : null,
    prisma.syncEvent.findFirst({
      where: { organizationId: actor.organizationId, phoneId, method: "registerPhone" },
      orderBy: { createdAt: "asc" },
      select: { createdAt: true },
    }),
    prisma.syncEvent.findFirst({
      where: { organizationId: actor.organizationId, phoneId, method: "registerPhone", outcome: "ok" },
      orderBy: { createdAt: "asc" },
      select: { createdAt: true },
    }),
    prisma.phoneLogLine.findMany({
      where: { organizationId: actor.organizationId, phoneId },
      orderBy: [{ receivedAt: "desc" }, { id: "desc" }],
      take: 50,
      select: { id: true, receivedAt: true, severity: true, text: true },
    }),
  ]);
  return {
    entered: { at: phone.createdAt, by: creator?.name ?? null },
    pushedAt: pushed?.createdAt ?? null,
    acceptedAt: accepted?.createdAt ?? null,
    firstFetch: phone.provFirstFetchAt
      ? { at: phone.provFirstFetchAt, model: phone.provFirstModel, firmware: phone.provFirstFirmware }
      : null,
    lastFetch: phone.provLastFetchAt
      ? {
          at: phone.provLastFetchAt,
          count: phone.provFetchCount,
          address: phone.provLastAddress,
          userAgent: phone.provUserAgent,
          firmware: phone.provFirmware,
          changed: phone.provLastChanged,
        }
      : null,
    logLines: lines,
  };
}

/** Phones per stage for the dashboard: entered, registered at the service, fetched their file, logging. */
export async function countPhoneStages(actor: Actor) {
  const organizationId = actor.organizationId;
  // One pass over the organization's phones instead of one count per stage (four scans of 100 000
  // rows on a distributor's dashboard: docs/decisions/0011-scale.md); standard SQL.
  const [[stages], [logging]] = await Promise.all([
    prisma.$queryRaw<
      { entered: number | bigint; registered: number | bigint | null; fetched: number | bigint | null }[]
    >(
      Prisma.sql`SELECT COUNT(*) AS "entered",
        SUM(CASE WHEN "syncStatus" = 'synced' THEN 1 ELSE 0 END) AS "registered",
        SUM(CASE WHEN "provFirstFetchAt" IS NOT NULL THEN 1 ELSE 0 END) AS "fetched"
        FROM "Phone" WHERE "organizationId" = ${organizationId} AND "deletedAt" IS NULL`,
    ),
    prisma.$queryRaw<{ logging: number | bigint }[]>(
      Prisma.sql`SELECT COUNT(DISTINCT l."phoneId") AS "logging" FROM "PhoneLogLine" l
        JOIN "Phone" p ON p."id" = l."phoneId"
        WHERE l."organizationId" = ${organizationId} AND p."organizationId" = ${organizationId} AND p."deletedAt" IS NULL`,
    ),
  ]);
  return {
    entered: Number(stages?.entered ?? 0),
    registered: Number(stages?.registered ?? 0),
    fetched: Number(stages?.fetched ?? 0),
    logging: Number(logging?.logging ?? 0),
  };
}
