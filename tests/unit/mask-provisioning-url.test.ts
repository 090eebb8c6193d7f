// What a role without phones:configure sees of a provisioning URL (decision 0017, "mask 6").
import { describe, expect, it } from "vitest";
import { isMaskedFormOf, maskProvisioningUrl, MASKED_TOKEN } from "../../lib/urls";

const TOKEN = "Zq3x9_TokenOfTheOrganization-0042";

describe("maskProvisioningUrl", () => {
  it("replaces the organization's token in the portal's URL", () => {
    expect(maskProvisioningUrl(`https://portal.example.net/prov/${TOKEN}/{mac}.xml`, TOKEN)).toBe(
      `https://portal.example.net/prov/${MASKED_TOKEN}/{mac}.xml`,
    );
  });

  it("removes user:password@ together with the token, percent-encoded characters included", () => {
    const url = `https://prov%40user:p%3Ass%40w0rd@portal.example.net:8443/prov/${TOKEN}/{mac}.xml`;
    const masked = maskProvisioningUrl(url, TOKEN)!;
    expect(masked).toBe(`https://portal.example.net:8443/prov/${MASKED_TOKEN}/{mac}.xml`);
    expect(masked).not.toContain("w0rd");
  });

  it("leaves a URL without token or credentials as it is, and null as null", () => {
    const url = "https://prov.example.net/snom/{mac}.xml?x=1";
    expect(maskProvisioningUrl(url, TOKEN)).toBe(url);
    expect(maskProvisioningUrl(url, null)).toBe(url);
    expect(maskProvisioningUrl(null, TOKEN)).toBeNull();
  });

  it("removes the credentials of another server's URL too, also inside a longer text", () => {
    expect(maskProvisioningUrl("http://bob:secret@other.example.org/{mac}", TOKEN)).toBe("http://other.example.org/{mac}");
    expect(maskProvisioningUrl("HTTPS://bob:secret@other.example.org/a", null)).toBe("HTTPS://other.example.org/a");
    expect(maskProvisioningUrl(`fetch of http://u:pw@h.example/prov/${TOKEN}/x.xml failed`, TOKEN)).toBe(
      `fetch of http://h.example/prov/${MASKED_TOKEN}/x.xml failed`,
    );
  });

  it("does not take an @ in the path or query for credentials", () => {
    const url = "https://prov.example.net/a@b/{mac}.xml?mail=x@y";
    expect(maskProvisioningUrl(url, TOKEN)).toBe(url);
  });
});

describe("isMaskedFormOf", () => {
  const stored = `https://u:pw@portal.example.net/prov/${TOKEN}/{mac}.xml`;
  it("recognizes the masked value sent back unchanged", () => {
    expect(isMaskedFormOf(maskProvisioningUrl(stored, TOKEN), stored, TOKEN)).toBe(true);
  });
  it("does not for another URL, the stored URL itself, or nothing stored", () => {
    expect(isMaskedFormOf("https://prov.example.net/{mac}.xml", stored, TOKEN)).toBe(false);
    expect(isMaskedFormOf(stored, stored, TOKEN)).toBe(false);
    expect(isMaskedFormOf("https://prov.example.net/{mac}.xml", null, TOKEN)).toBe(false);
    const plain = "https://prov.example.net/{mac}.xml";
    expect(isMaskedFormOf(plain, plain, TOKEN)).toBe(false);
  });
});
