// snom's HTTP User-Agent, as phones send it when they fetch settings files. Forms seen in the field:
//   "Mozilla/4.0 (compatible; snomD785-SIP 10.1.33.33 1.1.3-s)"         (D-series, firmware 10)
//   "Mozilla/4.0 (compatible; snom370-SIP 8.7.5.48 1.1.3-u 0004132E08B4)" (with the MAC)
//   "Mozilla/4.0 (compatible; snom360-SIP 6.5.2; snom360 ramdisk v3.31; snom360 linux 3.25)"
//   "Mozilla/4.0 (compatible; snom m9 9.1.43)"                           (DECT m9)
//   "Mozilla/4.0 (compatible; Snom M900 05.20.0001 000413b60680)"         (DECT base)
// Pure: shared by the provisioning endpoint and tests.

export type SnomUserAgent = {
  /** Model as snom names it in redirect.listPhones, e.g. "snomD785", "snom370", "snomM900". */
  model: string;
  /** Firmware version, e.g. "10.1.33.33". */
  firmware: string;
  /** MAC when the phone includes it (12 uppercase hex digits). */
  mac: string | null;
};

const MAX_UA = 512;
// "(compatible; " then the model token ("snomD785-SIP", "snom m9", "Snom M900"), then the version.
const SNOM_UA =
  /\(compatible;\s*snom[\s-]?([A-Za-z]*\d+[A-Za-z0-9]*)(?:-SIP)?\s+v?(\d+(?:\.\d+){1,4})(?:[^;)]*?\b([0-9A-Fa-f]{12})\b)?/i;

/** Model and firmware from a snom User-Agent, or null for anything else (other vendors, browsers). */
export function parseSnomUserAgent(userAgent: string | null | undefined): SnomUserAgent | null {
  if (!userAgent) return null;
  const m = SNOM_UA.exec(userAgent.slice(0, MAX_UA));
  if (!m) return null;
  const [, rawModel, firmware, mac] = m;
  // snom writes desk models lowercase-prefixed ("snomD785") and DECT ones both ways ("m9", "M900").
  const model = `snom${/^[a-z]/i.test(rawModel) ? rawModel[0].toUpperCase() + rawModel.slice(1) : rawModel}`;
  return { model, firmware, mac: mac ? mac.toUpperCase() : null };
}
