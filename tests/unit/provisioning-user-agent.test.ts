// The User-Agent parser on real snom User-Agent strings (desk phones of firmware 6 to 10, DECT).
import { describe, expect, it } from "vitest";
import { parseSnomUserAgent } from "@/lib/provisioning/user-agent";

describe("parseSnomUserAgent", () => {
  it.each([
    ["Mozilla/4.0 (compatible; snomD785-SIP 10.1.33.33 1.1.3-s)", "snomD785", "10.1.33.33", null],
    ["Mozilla/4.0 (compatible; snomD385-SIP 10.1.54.13 1.1.3-s)", "snomD385", "10.1.54.13", null],
    ["Mozilla/4.0 (compatible; snom320-SIP 8.4.35 1.1.3-n)", "snom320", "8.4.35", null],
    ["Mozilla/4.0 (compatible; snom300-SIP 8.4.35 1.1.3-u)", "snom300", "8.4.35", null],
    ["Mozilla/4.0 (compatible; snom370-SIP 8.7.5.48 1.1.3-u 0004132E08B4)", "snom370", "8.7.5.48", "0004132E08B4"],
    [
      "Mozilla/4.0 (compatible; snom360-SIP 6.5.2; snom360 ramdisk v3.31; snom360 linux 3.25)",
      "snom360",
      "6.5.2",
      null,
    ],
    ["Mozilla/4.0 (compatible; snom320-SIP 7.1.30", "snom320", "7.1.30", null],
    ["Mozilla/4.0 (compatible; snom m9 9.1.43)", "snomM9", "9.1.43", null],
    ["Mozilla/4.0 (compatible; Snom M900 05.20.0001 000413b60680)", "snomM900", "05.20.0001", "000413B60680"],
  ])("%s", (ua, model, firmware, mac) => {
    expect(parseSnomUserAgent(ua)).toEqual({ model, firmware, mac });
  });

  it("answers null for other vendors, browsers, snom strings without a version, and nothing", () => {
    expect(parseSnomUserAgent("Yealink SIP-T46S 66.86.0.15 80:5e:c0:11:22:33")).toBeNull();
    expect(
      parseSnomUserAgent("Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 Chrome/120.0 Safari/537.36"),
    ).toBeNull();
    expect(parseSnomUserAgent("Mozilla/4.0 (compatible; snom lid 3605)")).toBeNull();
    expect(parseSnomUserAgent("")).toBeNull();
    expect(parseSnomUserAgent(null)).toBeNull();
  });

  it("reads only the first 512 characters of a huge header", () => {
    expect(parseSnomUserAgent("x".repeat(600) + "(compatible; snomD785-SIP 10.1.33.33)")).toBeNull();
  });
});
