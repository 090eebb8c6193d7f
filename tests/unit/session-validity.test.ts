import { describe, expect, it } from "vitest";
import { isSessionRowOpen, isSessionStillValid } from "@/lib/auth/session-validity";

describe("isSessionStillValid", () => {
  const changedAt = new Date("2026-11-26T12:00:00.000Z");
  const seconds = (iso: string) => Math.floor(new Date(iso).getTime() / 1000);

  it("keeps every session while the password never changed", () => {
    expect(isSessionStillValid(seconds("2020-01-01T00:00:00Z"), null)).toBe(true);
  });
  it("ends sessions issued before the change, keeps those from the same second on", () => {
    expect(isSessionStillValid(seconds("2026-11-26T11:59:59Z"), changedAt)).toBe(false);
    expect(isSessionStillValid(seconds("2026-11-26T12:00:00Z"), changedAt)).toBe(true);
    expect(isSessionStillValid(seconds("2026-11-26T12:05:00Z"), changedAt)).toBe(true);
  });
  it("ends a session without an issue time once a change happened", () => {
    expect(isSessionStillValid(undefined, changedAt)).toBe(false);
  });
});

describe("session rows", () => {
  const now = new Date("2026-11-29T12:00:00Z");
  const open = { userId: "u1", revokedAt: null, expiresAt: new Date("2026-11-29T13:00:00Z") };
  it("let a session in only while its row is the user's, not revoked and not expired", () => {
    expect(isSessionRowOpen(open, "u1", now)).toBe(true);
    expect(isSessionRowOpen(null, "u1", now)).toBe(false);
    expect(isSessionRowOpen(open, "u2", now)).toBe(false);
    expect(isSessionRowOpen({ ...open, revokedAt: now }, "u1", now)).toBe(false);
    expect(isSessionRowOpen({ ...open, expiresAt: now }, "u1", now)).toBe(false);
  });
});
