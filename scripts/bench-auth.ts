// Benchmark of what every sign-in and every request now pays for issue 8, on a fresh SQLite database
// built from the migrations and filled like a busy portal under attack:
// - the sign-in limiter's check with --failures failed sign-ins stored (spread over addresses and e-mails),
// - the per-request session check (session row + user with its pending-password-change flag: the
//   one query getCurrentUser runs, lib/auth/session-user.ts),
// - the /audit page's query (first page, a text filter, and the last page) with --events audit events.
//   npm run bench:auth [-- --failures 50000 --events 200000]
// Needs the react-server condition (set in package.json) for lib/data/audit.ts's "server-only".
// Ends with one JSON line: {"failures":…,"events":…,"limiter_check_ms":…,"session_check_ms":…,"audit_page_ms":…,…}
import { rmSync } from "node:fs";
import { createTestDatabase } from "../tests/support/test-db";

function arg(name: string, fallback: string): number {
  const i = process.argv.indexOf(`--${name}`);
  const n = Number(i !== -1 && process.argv[i + 1] ? process.argv[i + 1] : fallback);
  if (!Number.isInteger(n) || n < 1) throw new Error(`--${name} must be a positive integer`);
  return n;
}

const failures = arg("failures", "50000");
const events = arg("events", "200000");
const rounds = 200;

async function time(fn: () => Promise<unknown>, n = rounds): Promise<number> {
  await fn();
  const start = performance.now();
  for (let i = 0; i < n; i++) await fn();
  return (performance.now() - start) / n;
}

async function main() {
  const { url, dir } = createTestDatabase("portal-bench-auth-");
  process.env.DATABASE_URL = url;
  const { prisma } = await import("../lib/db");
  const { createSignInLimiter } = await import("../lib/auth/attempts");
  const { loadSessionUser } = await import("../lib/auth/session-user");
  const { listAuditEvents, parseAuditFilter } = await import("../lib/data/audit");
  const { auditKey } = await import("../lib/audit/events");
  const { createOrganization, createUser } = await import("../tests/factories");
  try {
    const org = await createOrganization(prisma);
    const admin = await createUser(prisma, org.id);
    const actor = { id: admin.id, organizationId: org.id, role: "ADMIN" as const };
    const now = Date.now();

    const batch = 1000;
    for (let i = 0; i < failures; i += batch) {
      await prisma.signInFailure.createMany({
        data: Array.from({ length: Math.min(batch, failures - i) }, (_, j) => ({
          email: `user-${(i + j) % 997}@example.test`,
          ipAddress: `198.51.${((i + j) >> 8) % 256}.${(i + j) % 256}`,
          createdAt: new Date(now - ((i + j) % 3600) * 1000),
        })),
      });
    }
    for (let i = 0; i < events; i += batch) {
      await prisma.auditEvent.createMany({
        data: Array.from({ length: Math.min(batch, events - i) }, (_, j) => {
          const summary = `name “Customer ${i + j}” → “Customer ${i + j} GmbH”`;
          return {
            organizationId: org.id,
            actorUserId: admin.id,
            actorEmail: admin.email,
            action: (i + j) % 3 === 0 ? "customer.update" : "phone.create",
            targetType: "customer",
            summary,
            searchKey: auditKey({ summary, actorEmail: admin.email }),
            ipAddress: "192.0.2.1",
            createdAt: new Date(now - (i + j) * 60_000),
          };
        }),
      });
    }
    const session = await prisma.authSession.create({
      data: { userId: admin.id, expiresAt: new Date(now + 3_600_000) },
    });

    const limiter = createSignInLimiter(prisma);
    const limiterMs = await time(() => limiter.check("user-5@example.test", "198.51.0.5"));
    // The very query every request runs (lib/auth/session-user.ts, via getCurrentUser).
    const claims = { uid: admin.id, sid: session.id, iat: Math.floor(now / 1000) };
    const sessionMs = await time(() => loadSessionUser(prisma, claims));
    const firstPageMs = await time(() => listAuditEvents(actor, parseAuditFilter({}).filter), 20);
    const textMs = await time(() => listAuditEvents(actor, parseAuditFilter({ q: "Customer 4242 " }).filter), 20);
    const lastPageMs = await time(
      () => listAuditEvents(actor, parseAuditFilter({ action: "customer.update", page: "100000" }).filter),
      20,
    );

    console.log(`limiter check: ${limiterMs.toFixed(2)} ms, session check: ${sessionMs.toFixed(2)} ms`);
    console.log(
      `audit page: first ${firstPageMs.toFixed(1)} ms, text search ${textMs.toFixed(1)} ms, last page of one action ${lastPageMs.toFixed(1)} ms`,
    );
    console.log(
      JSON.stringify({
        failures,
        events,
        limiter_check_ms: +limiterMs.toFixed(2),
        session_check_ms: +sessionMs.toFixed(2),
        audit_page_ms: +firstPageMs.toFixed(1),
        audit_text_search_ms: +textMs.toFixed(1),
        audit_last_page_ms: +lastPageMs.toFixed(1),
      }),
    );
  } finally {
    await prisma.$disconnect();
    rmSync(dir, { recursive: true, force: true });
  }
}

void main();
