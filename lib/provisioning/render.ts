// Loads what one phone's settings file is made of and composes it (endpoint and preview).
import "server-only";
import { dataDir, type Db } from "../db-core";
import { decryptSecret, loadOrCreateKey } from "../crypto";
import { env } from "../env";
import { syslogTarget } from "./addresses";
import { composeSettings, parseOverrides, parseProfileSettings, type Overrides } from "./profile";
import type { Setting } from "./settings-xml";

let cachedKey: Buffer | undefined;
/** The credentials key (lib/crypto.ts), read once per process. */
export function provisioningKey(): Buffer {
  return (cachedKey ??= loadOrCreateKey(dataDir(env.DATABASE_URL), env.PORTAL_SECRET_KEY));
}

export const phoneForSettingsSelect = {
  id: true,
  mac: true,
  label: true,
  serial: true,
  model: true,
  deletedAt: true,
  provOverridesEnc: true,
  provFirstFetchAt: true,
  provLastHash: true,
  customer: { select: { name: true, number: true, profileId: true } },
} as const;

export type PhoneForSettings = {
  mac: string;
  label: string | null;
  serial: string | null;
  model: string | null;
  provOverridesEnc: string | null;
  customer: { name: string; number: string; profileId: string | null };
};

export function decryptOverrides(enc: string | null): Overrides {
  return enc ? parseOverrides(decryptSecret(enc, provisioningKey())) : {};
}

/**
 * The phone's settings: its customer's profile (else the organization's default), the phone's
 * overrides on top. The profile is re-checked to belong to the organization.
 */
export async function loadPhoneSettings(
  db: Db,
  org: { id: string; name: string; defaultProfileId: string | null },
  phone: PhoneForSettings,
): Promise<Setting[]> {
  const profileId = phone.customer.profileId ?? org.defaultProfileId;
  const profile = profileId
    ? await db.provisioningProfile.findFirst({
        where: { id: profileId, organizationId: org.id },
        select: { settingsJson: true, adminPasswordEnc: true, httpPasswordEnc: true },
      })
    : null;
  const key = provisioningKey();
  return composeSettings({
    profile: profile ? parseProfileSettings(profile.settingsJson) : null,
    secrets: {
      adminPassword: profile?.adminPasswordEnc ? decryptSecret(profile.adminPasswordEnc, key) : null,
      httpPassword: profile?.httpPasswordEnc ? decryptSecret(profile.httpPasswordEnc, key) : null,
    },
    overrides: decryptOverrides(phone.provOverridesEnc),
    values: {
      mac: phone.mac,
      label: phone.label ?? "",
      serial: phone.serial ?? "",
      model: phone.model ?? "",
      customer_name: phone.customer.name,
      customer_number: phone.customer.number,
      organization_name: org.name,
    },
    syslogTarget: syslogTarget(),
  });
}
