import { describe, expect, it } from "vitest";
import { checkEndpointAddress, classifyAddress, isIpLiteral } from "@/lib/redirection/address-guard";

// Every textual form of a non-public address the portal must refuse, with the block it is in.
const REFUSED: [string, string | null][] = [
  ["127.0.0.1", "127.0.0.0/8"],
  ["127.1", "127.0.0.0/8"],
  ["0x7f000001", "127.0.0.0/8"],
  ["2130706433", "127.0.0.0/8"],
  ["017700000001", "127.0.0.0/8"],
  ["0177.0.0.1", "127.0.0.0/8"],
  ["127.255.255.254", "127.0.0.0/8"],
  ["::1", "::1/128"],
  ["[::1]", "::1/128"],
  ["::ffff:127.0.0.1", "127.0.0.0/8"],
  ["[::ffff:7f00:1]", "127.0.0.0/8"],
  ["::ffff:10.1.2.3", "10.0.0.0/8"],
  ["10.0.0.1", "10.0.0.0/8"],
  ["10.255.255.255", "10.0.0.0/8"],
  ["172.16.0.1", "172.16.0.0/12"],
  ["172.31.255.1", "172.16.0.0/12"],
  ["192.168.1.1", "192.168.0.0/16"],
  ["0xc0a80101", "192.168.0.0/16"],
  ["169.254.169.254", "169.254.0.0/16"],
  ["100.64.0.1", "100.64.0.0/10"],
  ["100.127.255.254", "100.64.0.0/10"],
  ["0.0.0.0", "0.0.0.0/8"],
  ["0", "0.0.0.0/8"],
  ["224.0.0.1", "224.0.0.0/4"],
  ["239.255.255.250", "224.0.0.0/4"],
  ["255.255.255.255", "255.255.255.255/32"],
  ["192.0.2.1", "192.0.2.0/24"],
  ["198.51.100.7", "198.51.100.0/24"],
  ["203.0.113.9", "203.0.113.0/24"],
  ["198.18.0.1", "198.18.0.0/15"],
  ["240.0.0.1", "240.0.0.0/4"],
  ["::", "::/128"],
  ["fc00::1", "fc00::/7"],
  ["fd12:3456:789a::1", "fc00::/7"],
  ["fe80::1", "fe80::/10"],
  ["ff02::1", "ff00::/8"],
  ["2001:db8::1", "2001:db8::/32"],
  ["64:ff9b::a00:1", "10.0.0.0/8"], // NAT64 of 10.0.0.1
  ["64:ff9b::7f00:1", "127.0.0.0/8"], // NAT64 of 127.0.0.1
  ["2002:c0a8:101::1", "192.168.0.0/16"], // 6to4 of 192.168.1.1
  ["2002:7f00:1::1", "127.0.0.0/8"], // 6to4 of 127.0.0.1
  ["2001:0:4136:e378:8000:63bf:3fff:fdd2", "2001::/32"], // Teredo
];

const PUBLIC = [
  "8.8.8.8",
  "1.1.1.1",
  "185.199.108.153",
  "2001:4860:4860::8888",
  "2a00:1450:4001:82a::200e",
  "::ffff:8.8.8.8",
  "64:ff9b::808:808",
  "2002:808:808::1",
];

describe("classifyAddress", () => {
  for (const [address, cidr] of REFUSED) {
    it(`refuses ${address}${cidr ? ` (${cidr})` : ""}`, () => {
      const verdict = classifyAddress(address);
      expect(verdict.public).toBe(false);
      if (!verdict.public) {
        expect(verdict.cidr).toBe(cidr);
        expect(verdict.message).toContain(
          "the portal only calls public addresses unless the operator sets ALLOW_PRIVATE_ENDPOINTS=1",
        );
      }
    });
  }

  for (const address of PUBLIC) {
    it(`accepts the public address ${address}`, () => {
      expect(classifyAddress(address).public).toBe(true);
    });
  }

  it("names the network in plain words", () => {
    const verdict = classifyAddress("10.1.2.3");
    expect(!verdict.public && verdict.message).toBe(
      "This address (10.1.2.3) is in a private network (10.0.0.0/8); the portal only calls public addresses unless the operator sets ALLOW_PRIVATE_ENDPOINTS=1.",
    );
  });

  it("tells IP literals from host names", () => {
    expect(isIpLiteral("0x7f000001")).toBe(true);
    expect(isIpLiteral("[::1]")).toBe(true);
    expect(isIpLiteral("secure-provisioning.snom.com")).toBe(false);
  });
});

describe("checkEndpointAddress", () => {
  const url = (host: string) => `https://${host}:8083/xmlrpc/`;
  // URL parsing normalises the IPv4 forms first (WHATWG): all of them must still be refused.
  for (const host of [
    "127.1",
    "0x7f000001",
    "2130706433",
    "017700000001",
    "[::1]",
    "[::ffff:127.0.0.1]",
    "[::ffff:7f00:1]",
    "[fe80::1]",
    "[fc00::1]",
    "10.0.0.1",
    "[64:ff9b::a00:1]",
  ]) {
    it(`refuses ${url(host)}`, async () => {
      const check = await checkEndpointAddress(url(host), { allowPrivate: false });
      expect(check.ok).toBe(false);
    });
  }

  it("refuses localhost and names that resolve to loopback", async () => {
    for (const host of ["localhost", "LOCALHOST.", "api.localhost"]) {
      const check = await checkEndpointAddress(url(host), { allowPrivate: false });
      expect(check).toMatchObject({ ok: false, message: expect.stringContaining("loopback") });
    }
  });

  it("accepts a public address, and anything when the operator allows private endpoints", async () => {
    expect(await checkEndpointAddress(url("8.8.8.8"), { allowPrivate: false })).toEqual({ ok: true });
    expect(await checkEndpointAddress(url("127.0.0.1"), { allowPrivate: true })).toEqual({ ok: true });
  });
});
