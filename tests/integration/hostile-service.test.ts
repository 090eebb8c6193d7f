// The hostile-service corpus: every shape a broken or malicious endpoint can answer, driven through
// the real client and the real worker (real HTTP to our simulator's hostile modes, a real SQLite
// database). Never an exception, never a hang, never a partial write, stored text always bounded.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { createPrisma, type Db } from "../../lib/db-core";
import {
  callRds,
  checkPhone,
  echo,
  getPhoneRedirection,
  MAX_XML_DEPTH,
  registerPhone,
} from "../../lib/redirection/client";
import { resetFailureThrottle } from "../../lib/redirection/failure-throttle";
import { SERVICE_TEXT_MAX, SERVICE_URL_MAX } from "../../lib/redirection/service-text";
import { FOREIGN_MACS, HOSTILE_MODES, type FaultMode, type Simulator } from "../../lib/redirection/simulator";
import type { RdsAccount, RdsResult } from "../../lib/redirection/types";
import { resolveAccount } from "../../lib/sync/account";
import { createSyncWorker } from "../../lib/sync/worker";
import {
  accountFor,
  createCustomOrg,
  createQueuedPhones,
  startTestSimulator,
  TEST_KEY_HEX,
} from "../support/sync-fixtures";

let db: Db;
const dataDir = process.env.PORTAL_TEST_DIR!;
// C0, DEL, C1 and bidi controls: none may reach the database.
const CONTROL = /[\u0000-\u001f\u007f-\u009f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/;
const CALL_TIMEOUT_MS = 1_500;

const MODES: FaultMode[] = [...HOSTILE_MODES.filter((m) => m !== "echo_ok"), "garbage", "fault", "reset", "hang"];

function expectClean(text: string | null | undefined, max = SERVICE_TEXT_MAX) {
  if (text === null || text === undefined) return;
  expect(text.length).toBeLessThanOrEqual(max);
  expect(text).not.toMatch(CONTROL);
}

function expectBoundedResult(r: RdsResult<unknown>) {
  expectClean(r.raw.excerpt);
  if (r.kind !== "ok") expectClean(r.message);
  expect(r.durationMs).toBeLessThan(CALL_TIMEOUT_MS * 2 + 2_000);
}

// What each shape is called; the worker stores the same words in lastErrorText.
const expected: Partial<Record<FaultMode, { kind: string; message: RegExp; excerpt?: RegExp }>> = {
  nested: { kind: "protocol", message: new RegExp(`nested deeper than ${MAX_XML_DEPTH} levels`) },
  nested_huge: { kind: "protocol", message: /^Reply larger than 64 KiB$/ },
  many_elements: { kind: "protocol", message: /more than 10 000 elements/ },
  entity_bomb: { kind: "protocol", message: /DOCTYPE declarations \(entities\) are not accepted/ },
  huge_body: {
    kind: "protocol",
    message: /^Reply larger than 64 KiB$/,
    excerpt: /^more than 65 536 bytes, text\/xml$/,
  },
  huge_fault: { kind: "protocol", message: /^Reply larger than 64 KiB$/ },
  long_fault: { kind: "protocol", message: /^Fault 1: Fault \[31m evil z+/ },
  drip: { kind: "transient", message: /^Timed out after 1500 ms$/ },
  never_close: { kind: "transient", message: /^Timed out after 1500 ms$/ },
  hang: { kind: "transient", message: /^Timed out after 1500 ms$/ },
  wrong_types: { kind: "protocol", message: /not a valid XML-RPC response/ },
  html_login: {
    kind: "protocol",
    message: /^Reply is not XML-RPC: HTML page, 5 \d{3} bytes, text\/html; charset=utf-8$/,
    excerpt: /^HTML page, 5 \d{3} bytes/,
  },
  garbage: { kind: "protocol", message: /HTML page, 54 bytes, text\/html/ },
  redirect: {
    kind: "protocol",
    message:
      /^The service redirected the call \(HTTP 302 to http:\/\/169\.254\.169\.254\/latest\/meta-data\/\); redirects are not followed$/,
  },
  non_utf8: {
    kind: "protocol",
    message: /^Reply is not valid UTF-8 text$/,
    excerpt: /^binary data, \d+ bytes, text\/xml$/,
  },
  truncated: { kind: "protocol", message: /not a valid XML-RPC response/ },
  binary: {
    kind: "protocol",
    message: /^Reply is not valid UTF-8 text$/,
    excerpt: /^binary data, 2 048 bytes, application\/octet-stream$/,
  },
  empty: { kind: "protocol", message: /not a valid XML-RPC response/, excerpt: /^empty body$/ },
  fault: { kind: "protocol", message: /^Fault -32500: Simulated server fault$/ },
  reset: { kind: "transient", message: /ECONNRESET|socket hang up/ },
};

beforeAll(() => {
  db = createPrisma(process.env.DATABASE_URL!);
});
afterAll(async () => {
  await db.$disconnect();
});

describe("the client against hostile replies", () => {
  let sim: Simulator;
  let account: RdsAccount;
  beforeAll(async () => {
    sim = await startTestSimulator();
    account = accountFor(sim, CALL_TIMEOUT_MS);
  });
  afterAll(() => sim.close());
  // One account meets twenty failing shapes in a row here; the per-account throttle would only make
  // the later ones wait (failure-throttle.ts has its own tests).
  beforeEach(() => resetFailureThrottle());

  for (const mode of MODES) {
    it(`${mode}: a named failure, bounded and clean, within the timeout`, async () => {
      sim.setFaults({ rate: 1, modes: [mode] });
      const before = sim.state().calls.length;
      const r = await registerPhone(account, "000413A1B2C3", "https://prov.example.net/{mac}");
      expect(r.kind).not.toBe("ok");
      expectBoundedResult(r);
      const want = expected[mode];
      if (want && r.kind !== "ok") {
        expect(r.kind).toBe(want.kind);
        expect(r.message).toMatch(want.message);
        if (want.excerpt) expect(r.raw.excerpt).toMatch(want.excerpt);
      }
      // One request reached the endpoint: no redirect followed, no retry of a hostile reply (a reset
      // on a reused keep-alive socket is sent once more on a fresh one, by design).
      expect(sim.state().calls.length - before).toBe(mode === "reset" ? 2 : 1);
      expect(sim.state().phones["000413A1B2C3"]).toBeUndefined();
    });
  }

  it("entity bombs and external entities are never expanded", async () => {
    sim.setFaults({ rate: 1, modes: ["entity_bomb"] });
    const r = await callRds(account, "network.echo", ["x"]);
    expect(r.kind).toBe("protocol");
    expect(JSON.stringify(r)).not.toMatch(/lollol|root:/);
  });

  it("an HTML login page is described, never stored: no form fields, no tokens", async () => {
    sim.setFaults({ rate: 1, modes: ["html_login"] });
    const r = await checkPhone(account, "000413A1B2C3");
    expect(JSON.stringify(r)).not.toMatch(/internal-secret-token|password|<form/);
  });

  it("echo_ok: a service that answers Ok to everything is ok for calls, but its echo is not the nonce", async () => {
    sim.setFaults({ rate: 1, modes: ["echo_ok"] });
    const r = await echo(account, "nonce-123");
    expect(r).toMatchObject({ kind: "ok", data: [true, "Ok"] });
  });
});

describe("stored text from a hostile owner company", () => {
  for (const [label, company] of [
    // (XML cannot carry C0 controls other than tab/CR/LF; C1 and bidi controls it can.)
    [
      "50 000 characters with C1 and bidi controls",
      ("Evil\u0085\u009b[0m\u202eCorp\u202c\u2066\r\n\t" + "c".repeat(90)).repeat(450),
    ],
    ["5 MB", "C".repeat(5 * 1024 * 1024)],
  ] as const) {
    it(`${label}: getPhoneRedirection returns it bounded, and the worker stores it bounded`, async () => {
      const sim = await startTestSimulator({ foreignCompany: company });
      try {
        const direct = await getPhoneRedirection(accountFor(sim, CALL_TIMEOUT_MS), FOREIGN_MACS[0]);
        expectBoundedResult(direct);
        if (direct.kind === "ok") {
          expectClean(direct.data.company);
          expectClean(direct.data.url, SERVICE_URL_MAX);
        }

        const org = await createCustomOrg(db, sim.url);
        await createQueuedPhones(db, org.id, 1, { macs: [FOREIGN_MACS[0]] });
        await worker().runUntilIdle({ includeDelayed: true });
        const phone = await db.phone.findFirstOrThrow({ where: { organizationId: org.id } });
        expect(phone.syncStatus).toBe("owned_elsewhere");
        expectClean(phone.ownerCompany);
        expectClean(phone.lastErrorText);
        if (company.length < 100_000) expect(phone.ownerCompany).toMatch(/^Evil \[0m Corp c+/);
        for (const e of await db.syncEvent.findMany({ where: { organizationId: org.id } })) expectClean(e.rawExcerpt);
      } finally {
        await sim.close();
      }
    });
  }
});

function worker(maxAttempts = 2) {
  return createSyncWorker({
    db,
    workerId: `hostile-${maxAttempts}`,
    concurrency: 4,
    pollMs: 25,
    backoff: { baseMs: 10, maxMs: 20, maxAttempts },
    resolveAccount: (orgId) =>
      resolveAccount(db, orgId, { dataDir, secretKeyHex: TEST_KEY_HEX, timeoutMs: CALL_TIMEOUT_MS }),
  });
}

describe("the worker against hostile replies (real SQLite)", () => {
  for (const mode of MODES) {
    it(`${mode}: phones end failed (gave up after their attempts), nothing half-written, stored text bounded`, async () => {
      const sim = await startTestSimulator({ faultRate: 1, faultModes: [mode] });
      try {
        const org = await createCustomOrg(db, sim.url);
        const { phones } = await createQueuedPhones(db, org.id, 3, { firstMac: 0x7000 });
        await worker().runUntilIdle({ includeDelayed: true });

        const rows = await db.phone.findMany({ where: { organizationId: org.id } });
        expect(rows).toHaveLength(phones.length);
        const want = expected[mode];
        for (const p of rows) {
          expect(p).toMatchObject({
            syncStatus: "failed",
            attempts: 2,
            lastErrorCode: "gave_up",
            registeredUrl: null,
            nextAttemptAt: null,
          });
          if (want) {
            const said = want.message.source.startsWith("^")
              ? want.message.source.slice(1)
              : `.*${want.message.source}`;
            expect(p.lastErrorText).toMatch(
              new RegExp(`^Gave up after 2 attempts; last error \\(${want.kind}\\): (?:${said})`),
            );
          }
          expectClean(p.lastErrorText);
          expectClean(p.ownerCompany);
        }
        expect(await db.syncJob.count({ where: { organizationId: org.id } })).toBe(0);
        const events = await db.syncEvent.findMany({ where: { organizationId: org.id } });
        expect(events).toHaveLength(phones.length * 2);
        for (const e of events) {
          expect(e.outcome).toMatch(/^(protocol|transient)$/);
          expectClean(e.rawExcerpt);
          expectClean(e.url, SERVICE_URL_MAX);
        }
        expect(Object.keys(sim.state().phones).filter((mac) => phones.some((p) => p.mac === mac))).toEqual([]);
      } finally {
        await sim.close();
      }
    });
  }
});

describe("no request to a non-public address without the operator's allowance", () => {
  it("a DNS name resolving to 127.0.0.1 is refused at connect time; nothing reaches the server", async () => {
    const sim = await startTestSimulator();
    try {
      const guarded: RdsAccount = {
        ...accountFor(sim, CALL_TIMEOUT_MS),
        url: `http://localhost:${sim.port}/xmlrpc/`,
        allowPrivateAddresses: false,
      };
      const r = await echo(guarded, "x");
      expect(r).toMatchObject({ kind: "protocol", reason: "private_address" });
      expect(r.kind !== "ok" && r.message).toMatch(
        /^“localhost” resolves to (127\.0\.0\.1|::1)\. This address \(.*\) is in the loopback network/,
      );
      expect(sim.connectionCount()).toBe(0);

      for (const host of ["127.0.0.1", "127.1", "0x7f000001", "2130706433", "[::ffff:127.0.0.1]"]) {
        const literal = await echo({ ...guarded, url: `http://${host}:${sim.port}/xmlrpc/` }, "x");
        expect(literal).toMatchObject({ kind: "protocol", reason: "private_address" });
      }
      expect(sim.connectionCount()).toBe(0);

      // The same endpoint with the allowance (tests, the sandbox) is called.
      expect(await echo({ ...guarded, allowPrivateAddresses: true }, "x")).toMatchObject({ kind: "ok", data: "x" });
      expect(sim.connectionCount()).toBe(1);
    } finally {
      await sim.close();
    }
  });

  it("the worker's calls to such an endpoint are refused and recorded, never sent", async () => {
    const sim = await startTestSimulator();
    try {
      const org = await createCustomOrg(db, `http://localhost:${sim.port}/xmlrpc/`);
      await createQueuedPhones(db, org.id, 2, { firstMac: 0x7100 });
      await createSyncWorker({
        db,
        workerId: "guarded",
        pollMs: 25,
        backoff: { baseMs: 10, maxMs: 20, maxAttempts: 2 },
        resolveAccount: async (orgId) => {
          const account = await resolveAccount(db, orgId, {
            dataDir,
            secretKeyHex: TEST_KEY_HEX,
            timeoutMs: CALL_TIMEOUT_MS,
          });
          // The operator's allowance off, as in production.
          return account && { ...account, allowPrivateAddresses: false };
        },
      }).runUntilIdle({ includeDelayed: true });
      const phones = await db.phone.findMany({ where: { organizationId: org.id } });
      for (const p of phones) expect(p).toMatchObject({ syncStatus: "failed", lastErrorCode: "gave_up" });
      expect(phones[0].lastErrorText).toMatch(/ALLOW_PRIVATE_ENDPOINTS=1/);
      expect(sim.connectionCount()).toBe(0);
    } finally {
      await sim.close();
    }
  });
});
