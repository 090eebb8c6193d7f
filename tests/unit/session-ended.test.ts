import { describe, expect, it } from "vitest";
import { signInAgainPath } from "../../lib/auth/session-ended";

describe("signInAgainPath", () => {
  it("leads back to a path of this site, with the reason the sign-in page explains", () => {
    const url = new URL(signInAgainPath("/customers/abc?q=M%C3%BCller&page=2"), "http://portal.test");
    expect(url.pathname).toBe("/login");
    expect(url.searchParams.get("reason")).toBe("session-ended");
    expect(url.searchParams.get("callbackUrl")).toBe("/customers/abc?q=M%C3%BCller&page=2");
  });

  it("never names another site or the sign-in page itself as the way back", () => {
    for (const path of [
      "//evil.example/x",
      "/\\evil.example/x",
      "https://evil.example/",
      "evil",
      "/login?callbackUrl=/x",
      "/",
    ]) {
      expect(signInAgainPath(path), path).toBe("/login?reason=session-ended");
    }
  });
});
