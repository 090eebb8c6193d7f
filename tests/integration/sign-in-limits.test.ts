// Sign-in limits stored in the database: shared by every process, per (e-mail + address) growing
// delays, a cap per address, and no long lockout of a real user by an attacker elsewhere.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { prisma } from "@/lib/db";
import { createPrisma, type Db } from "@/lib/db-core";
import { createSignInLimiter, describeRetryAfter, SIGN_IN_LIMITS } from "@/lib/auth/attempts";
import { authenticate } from "@/lib/auth/sign-in";
import { createOrganization, createUser } from "../factories";

let otherProcess: Db;
let clock = new Date("2026-11-01T10:00:00Z").getTime();
const now = () => new Date(clock);
const advance = (ms: number) => (clock += ms);

beforeAll(() => {
  // A second Prisma client on the same file stands for a second server process.
  otherProcess = createPrisma(process.env.DATABASE_URL!);
});

afterAll(async () => {
  await otherProcess.$disconnect();
  await prisma.$disconnect();
});

describe("sign-in limiter in the database", () => {
  it("shares failures between two limiters on two connections (two processes)", async () => {
    const a = createSignInLimiter(prisma, SIGN_IN_LIMITS, now);
    const b = createSignInLimiter(otherProcess, SIGN_IN_LIMITS, now);
    for (let i = 0; i < 4; i++) await a.recordFailure("shared@example.test", "198.51.100.1");
    expect(await b.check("shared@example.test", "198.51.100.1")).toEqual({ allowed: true });
    await a.recordFailure("shared@example.test", "198.51.100.1");
    expect(await b.check("shared@example.test", "198.51.100.1")).toEqual({ allowed: false, retryAfterMs: 1000 });
    await b.recordSuccess("shared@example.test", "198.51.100.1");
    expect(await a.check("shared@example.test", "198.51.100.1")).toEqual({ allowed: true });
  });

  it("grows the delay per e-mail and address: 1 s, 2 s, 4 s … capped at 15 minutes", async () => {
    const limiter = createSignInLimiter(prisma, SIGN_IN_LIMITS, now);
    const waits: number[] = [];
    for (let i = 1; i <= 16; i++) {
      await limiter.recordFailure("grow@example.test", "198.51.100.2");
      const c = await limiter.check("grow@example.test", "198.51.100.2");
      waits.push(c.allowed ? 0 : c.retryAfterMs);
      if (!c.allowed) advance(c.retryAfterMs);
    }
    expect(waits.slice(0, 4)).toEqual([0, 0, 0, 0]);
    expect(waits.slice(4, 8)).toEqual([1000, 2000, 4000, 8000]);
    expect(Math.max(...waits)).toBe(15 * 60_000);
    // The same e-mail from another address is not paused by these (below the per-account cap).
    expect(await limiter.check("grow@example.test", "198.51.100.3")).toEqual({ allowed: true });
  });

  it("caps failures per address across all e-mails at 50 per 15 minutes", async () => {
    const limiter = createSignInLimiter(prisma, SIGN_IN_LIMITS, now);
    for (let i = 0; i < 50; i++) await limiter.recordFailure(`spray-${i}@example.test`, "203.0.113.9");
    const fresh = await limiter.check("never-tried@example.test", "203.0.113.9");
    expect(fresh.allowed).toBe(false);
    if (!fresh.allowed) expect(fresh.retryAfterMs).toBe(15 * 60_000);
    expect(await limiter.check("never-tried@example.test", "203.0.113.10")).toEqual({ allowed: true });
    advance(15 * 60_000 + 1);
    expect(await limiter.check("never-tried@example.test", "203.0.113.9")).toEqual({ allowed: true });
  });

  it("prunes failures older than a day", async () => {
    const limiter = createSignInLimiter(prisma, SIGN_IN_LIMITS, now);
    await limiter.recordFailure("old@example.test", "198.51.100.77");
    advance(24 * 60 * 60_000 + 1);
    expect(await limiter.prune()).toBeGreaterThanOrEqual(1);
    expect(await prisma.signInFailure.count({ where: { email: "old@example.test" } })).toBe(0);
  });
});

describe("sign-in", () => {
  it("does not lock a real user out for long while an attacker guesses from another address", async () => {
    const org = await createOrganization(prisma);
    const victim = await createUser(prisma, org.id, { email: "victim@example.test", password: "the real password" });
    const limiter = createSignInLimiter(prisma, SIGN_IN_LIMITS, now);
    const attacker = { address: "192.0.2.66", userAgent: "bot" };
    let paused = 0;
    for (let i = 0; i < 40; i++) {
      const r = await authenticate(prisma, limiter, { email: victim.email, password: `guess-${i}` }, attacker);
      if (r.kind === "paused") {
        paused++;
        advance(Math.min(r.retryAfterMs, 60_000));
      } else {
        expect(r.kind).toBe("invalid");
      }
    }
    expect(paused).toBeGreaterThan(0);
    const attackerWait = await limiter.check(victim.email, attacker.address);
    expect(attackerWait.allowed).toBe(false);

    const home = { address: "192.0.2.10", userAgent: "Firefox" };
    const first = await authenticate(prisma, limiter, { email: victim.email, password: "the real password" }, home);
    // At most the short per-account delay, never the attacker's long pause.
    if (first.kind === "paused") {
      expect(first.retryAfterMs).toBeLessThanOrEqual(SIGN_IN_LIMITS.accountMaxDelayMs);
      advance(first.retryAfterMs);
    }
    const second =
      first.kind === "ok"
        ? first
        : await authenticate(prisma, limiter, { email: victim.email, password: "the real password" }, home);
    expect(second.kind).toBe("ok");
    if (!attackerWait.allowed) expect(attackerWait.retryAfterMs).toBeGreaterThan(SIGN_IN_LIMITS.accountMaxDelayMs);
  });

  it("answers an unknown e-mail like a wrong password, pauses both alike, and audits without the password", async () => {
    const org = await createOrganization(prisma);
    const known = await createUser(prisma, org.id, { email: "known@example.test" });
    const limiter = createSignInLimiter(prisma, SIGN_IN_LIMITS, now);
    const client = { address: "192.0.2.200", userAgent: null };
    const outcomes = { known: [] as string[], unknown: [] as string[] };
    for (let i = 0; i < 6; i++) {
      outcomes.known.push(
        (await authenticate(prisma, limiter, { email: known.email, password: "Typed-Secret-1" }, client)).kind,
      );
      outcomes.unknown.push(
        (await authenticate(prisma, limiter, { email: "nobody@example.test", password: "Typed-Secret-2" }, client))
          .kind,
      );
    }
    expect(outcomes.known).toEqual(outcomes.unknown);
    expect(outcomes.known.slice(0, 5)).toEqual(["invalid", "invalid", "invalid", "invalid", "invalid"]);
    expect(outcomes.known[5]).toBe("paused");

    const rows = await prisma.auditEvent.findMany({
      where: { action: "auth.sign_in_failed", ipAddress: client.address },
    });
    expect(rows).toHaveLength(10);
    expect(
      rows
        .filter((r) => r.actorEmail === known.email)
        .every((r) => r.organizationId === org.id && r.targetId === known.id),
    ).toBe(true);
    expect(
      rows
        .filter((r) => r.actorEmail === "nobody@example.test")
        .every((r) => r.organizationId === null && r.targetId === null),
    ).toBe(true);
    const all = JSON.stringify(await prisma.auditEvent.findMany());
    expect(all).not.toContain("Typed-Secret");
  });

  it("opens a session row and audits a successful sign-in", async () => {
    const org = await createOrganization(prisma);
    const user = await createUser(prisma, org.id, { password: "right password here" });
    const limiter = createSignInLimiter(prisma, SIGN_IN_LIMITS, now);
    const r = await authenticate(
      prisma,
      limiter,
      { email: user.email, password: "right password here" },
      { address: "192.0.2.5", userAgent: "UA" },
    );
    if (r.kind !== "ok") throw new Error(r.kind);
    const session = await prisma.authSession.findUniqueOrThrow({ where: { id: r.sessionId } });
    expect(session).toMatchObject({ userId: user.id, ipAddress: "192.0.2.5", userAgent: "UA", revokedAt: null });
    const audit = await prisma.auditEvent.findFirstOrThrow({ where: { action: "auth.sign_in", actorUserId: user.id } });
    expect(audit).toMatchObject({ organizationId: org.id, actorEmail: user.email, ipAddress: "192.0.2.5", summary: "From 192.0.2.5" });
    expect(JSON.stringify(audit)).not.toContain("right password here");
  });
});

describe("pause message", () => {
  it("says plainly how long to wait", () => {
    expect(describeRetryAfter(1000)).toBe("Too many attempts. Try again in 1 second.");
    expect(describeRetryAfter(90_000)).toBe("Too many attempts. Try again in 2 minutes.");
  });
});
