import { describe, expect, it } from "vitest";
import { createAttemptLimiter } from "@/lib/auth/attempts";

describe("sign-in attempt limiter", () => {
  it("blocks an e-mail after the maximum of failures within the window, then lets it try again", () => {
    let now = 0;
    const limiter = createAttemptLimiter(3, 1000, () => now);
    for (let i = 0; i < 3; i++) {
      expect(limiter.isBlocked("a@x")).toBe(false);
      limiter.recordFailure("a@x");
    }
    expect(limiter.isBlocked("a@x")).toBe(true);
    expect(limiter.isBlocked("b@x")).toBe(false);
    now = 1001;
    expect(limiter.isBlocked("a@x")).toBe(false);
  });

  it("forgets the failures after a successful sign-in", () => {
    const limiter = createAttemptLimiter(2, 1000, () => 0);
    limiter.recordFailure("a@x");
    limiter.recordSuccess("a@x");
    limiter.recordFailure("a@x");
    expect(limiter.isBlocked("a@x")).toBe(false);
  });
});
