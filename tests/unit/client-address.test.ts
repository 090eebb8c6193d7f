import { describe, expect, it } from "vitest";
import { CLIENT_ADDRESS_HEADER, clientAddress, headerGetterOf, UNKNOWN_ADDRESS } from "@/lib/auth/client-address";

const headers = (h: Record<string, string>) => headerGetterOf(h);

describe("client address", () => {
  it("uses the socket address and ignores a client's X-Forwarded-For unless a proxy is trusted", () => {
    const h = headers({ [CLIENT_ADDRESS_HEADER]: "::ffff:192.0.2.7", "x-forwarded-for": "203.0.113.1" });
    expect(clientAddress(h, false)).toBe("192.0.2.7");
  });

  it("behind a trusted proxy takes the last X-Forwarded-For entry (the one the proxy appended)", () => {
    const h = headers({ [CLIENT_ADDRESS_HEADER]: "10.0.0.2", "x-forwarded-for": "203.0.113.1, 198.51.100.4" });
    expect(clientAddress(h, true)).toBe("198.51.100.4");
    expect(clientAddress(headers({ [CLIENT_ADDRESS_HEADER]: "10.0.0.2" }), true)).toBe("10.0.0.2");
  });

  it("says unknown when nothing is known, and bounds what it returns", () => {
    expect(clientAddress(headers({}), false)).toBe(UNKNOWN_ADDRESS);
    expect(clientAddress(headers({ "x-forwarded-for": "x".repeat(500) }), true)).toHaveLength(64);
  });
});
