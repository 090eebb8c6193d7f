// The provisioning endpoint's logic: GET /prov/<token>/<MAC>.xml from a phone.
import "server-only";
import { createHash, timingSafeEqual } from "node:crypto";
import { RateLimiterMemory, RateLimiterRes } from "rate-limiter-flexible";
import type { Db } from "../db-core";
import { decryptSecret } from "../crypto";
import { env } from "../env";
import { normalizeAddress } from "./addresses";
import { loadPhoneSettings, phoneForSettingsSelect, provisioningKey } from "./render";
import { buildSettingsXml } from "./settings-xml";
import { parseSnomUserAgent } from "./user-agent";

export type ProvisionRequest = {
  token: string;
  file: string;
  /**
   * Source address (the route passes lib/auth/client-address's `clientAddress`: the socket's, or the
   * trusted proxy's last X-Forwarded-For entry); of a comma-separated list the last entry counts.
   */
  forwardedFor: string | null;
  userAgent: string | null;
  authorization: string | null;
};

export type ProvisionResponse =
  { status: 200; body: string } | { status: 404 } | { status: 401 } | { status: 429; retryAfterSeconds: number };

const TOKEN = /^[A-Za-z0-9_-]{16,64}$/;
const FILE = /^([0-9A-Fa-f]{12})\.xml$/;
// An unknown token still costs one organization and one phone look-up: the same work, the same 404.
const NO_ORG = "no-such-organization";

type Limiters = { perAddress: RateLimiterMemory; perOrg: RateLimiterMemory };
const slot = globalThis as unknown as { provLimiters?: Limiters };
/**
 * Per organization and address (PROV_RATE_LIMIT a minute), and per organization (50 times that): the
 * address comes from a header a client without a proxy in front can set, so the organization-wide
 * limit caps what rotating addresses can do.
 */
function limiters(): Limiters {
  return (slot.provLimiters ??= {
    perAddress: new RateLimiterMemory({ keyPrefix: "prov-addr", points: env.PROV_RATE_LIMIT, duration: 60 }),
    perOrg: new RateLimiterMemory({ keyPrefix: "prov-org", points: env.PROV_RATE_LIMIT * 50, duration: 60 }),
  });
}

export function sourceAddress(forwardedFor: string | null): string {
  const parts = (forwardedFor ?? "")
    .split(",")
    .map((p) => p.trim())
    .filter(Boolean);
  return normalizeAddress(parts.at(-1));
}

function sameSecret(a: string, b: string): boolean {
  const ha = createHash("sha256").update(a).digest();
  const hb = createHash("sha256").update(b).digest();
  return timingSafeEqual(ha, hb);
}

function basicCredentials(header: string | null): { username: string; password: string } | null {
  const m = /^Basic\s+([A-Za-z0-9+/=]{1,512})$/i.exec(header?.trim() ?? "");
  if (!m) return null;
  const decoded = Buffer.from(m[1], "base64").toString("utf8");
  const colon = decoded.indexOf(":");
  return colon < 0 ? null : { username: decoded.slice(0, colon), password: decoded.slice(colon + 1) };
}

async function consume(key: string, limiter: RateLimiterMemory): Promise<number | null> {
  try {
    await limiter.consume(key);
    return null;
  } catch (e) {
    if (e instanceof RateLimiterRes) return Math.max(1, Math.ceil(e.msBeforeNext / 1000));
    throw e;
  }
}

/**
 * Answers a phone's request for its settings file and records the fetch on the phone (first/last time,
 * count, address, User-Agent model and firmware, whether the file changed). Unknown token, unknown
 * MAC, a removed phone: all the same 404.
 */
export async function servePhoneSettings(db: Db, req: ProvisionRequest): Promise<ProvisionResponse> {
  const fileMatch = FILE.exec(req.file);
  const token = TOKEN.test(req.token) ? req.token : NO_ORG;
  const mac = fileMatch ? fileMatch[1].toUpperCase() : "000000000000";
  const org = await db.organization.findUnique({
    where: { provToken: token },
    select: { id: true, name: true, defaultProfileId: true, provUsername: true, provPasswordEnc: true },
  });
  const address = sourceAddress(req.forwardedFor);
  const orgKey = org?.id ?? NO_ORG;
  const wait =
    (await consume(`${orgKey}:${address}`, limiters().perAddress)) ?? (await consume(orgKey, limiters().perOrg));
  if (wait !== null) return { status: 429, retryAfterSeconds: wait };

  if (org?.provUsername && org.provPasswordEnc) {
    const given = basicCredentials(req.authorization);
    const password = decryptSecret(org.provPasswordEnc, provisioningKey());
    const userOk = sameSecret(given?.username ?? "", org.provUsername);
    const passOk = sameSecret(given?.password ?? "", password);
    if (!userOk || !passOk) return { status: 401 };
  }

  const phone = await db.phone.findUnique({
    where: { organizationId_mac: { organizationId: orgKey, mac } },
    select: phoneForSettingsSelect,
  });
  if (!org || !fileMatch || !phone || phone.deletedAt) return { status: 404 };

  const body = buildSettingsXml(await loadPhoneSettings(db, org, phone));
  const hash = createHash("sha256").update(body).digest("hex");
  const ua = req.userAgent?.slice(0, 300) ?? null;
  const parsed = parseSnomUserAgent(ua);
  const now = new Date();
  const first = phone.provFirstFetchAt === null;
  await db.phone.update({
    where: { id: phone.id },
    data: {
      provFirstFetchAt: phone.provFirstFetchAt ?? now,
      provLastFetchAt: now,
      provFetchCount: { increment: 1 },
      provLastAddress: address,
      provUserAgent: ua,
      provFirmware: parsed?.firmware ?? null,
      provLastHash: hash,
      provLastChanged: phone.provLastHash !== null && phone.provLastHash !== hash,
      ...(first ? { provFirstModel: parsed?.model ?? null, provFirstFirmware: parsed?.firmware ?? null } : {}),
      ...(phone.model === null && parsed ? { model: parsed.model } : {}),
    },
  });
  return { status: 200, body };
}
