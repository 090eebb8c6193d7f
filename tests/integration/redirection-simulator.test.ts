// Simulator semantics, persistence, fault injection and control interface, over loopback HTTP.
import { mkdtempSync, readdirSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import serializer from "xmlrpc/lib/serializer.js";
import {
  basicAuthorization,
  callRds,
  checkPhone,
  closeAgents,
  deregisterPhone,
  echo,
  getPhoneRedirection,
  listPhones,
  registerPhone,
} from "@/lib/redirection/client";
import {
  FOREIGN_ACCOUNT_COMPANY,
  FOREIGN_ACCOUNT_USERNAME,
  FOREIGN_MACS,
  startSimulator,
  type Simulator,
} from "@/lib/redirection/simulator";
import type { RdsAccount } from "@/lib/redirection/types";

const ACCOUNTS = [
  { username: "alpha", password: "a-pass", company: "Alpha AG" },
  { username: "beta", password: "b-pass", company: "Beta GmbH" },
];
const URL1 = "https://prov.alpha.example/{mac}.xml";
const as = (sim: Simulator, i: number, timeoutMs = 5_000): RdsAccount => ({
  url: sim.url,
  username: ACCOUNTS[i].username,
  password: ACCOUNTS[i].password,
  timeoutMs,
});

afterAll(() => closeAgents());

describe("semantics", () => {
  let sim: Simulator;
  let alpha: RdsAccount;
  let beta: RdsAccount;
  beforeAll(async () => {
    sim = await startSimulator({ accounts: ACCOUNTS });
    alpha = as(sim, 0);
    beta = as(sim, 1);
  });
  afterAll(() => sim.close());
  beforeEach(() => sim.reset());

  it("listens on a random port at /xmlrpc/ with the trailing slash", () => {
    expect(sim.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/xmlrpc\/$/);
    expect(sim.port).toBeGreaterThan(0);
  });

  it("one owner per MAC; the other account sees the owner's company", async () => {
    expect((await registerPhone(alpha, "000413abcdef", URL1)).kind).toBe("ok");
    expect(sim.state().phones).toHaveProperty("000413ABCDEF", { owner: "alpha", url: URL1 });
    expect((await registerPhone(beta, "000413ABCDEF", "http://beta.example/")).kind).toBe("owned_by_other_user");
    expect((await deregisterPhone(beta, "000413ABCDEF")).kind).toBe("owned_by_other_user");
    expect((await checkPhone(beta, "000413ABCDEF")).kind).toBe("owned_by_other_user");
    expect((await checkPhone(alpha, "000413abcdef")).kind).toBe("ok");
    const seen = await getPhoneRedirection(beta, "000413ABCDEF");
    expect(seen.kind === "ok" && seen.data).toEqual({ company: "Alpha AG", url: URL1 });
    expect(sim.state().phones["000413ABCDEF"].url).toBe(URL1);
    // Moving a MAC: deregister with the old owner, register with the new.
    expect((await deregisterPhone(alpha, "000413ABCDEF")).kind).toBe("ok");
    expect((await registerPhone(beta, "000413ABCDEF", "http://beta.example/")).kind).toBe("ok");
    expect(sim.state().phones["000413ABCDEF"].owner).toBe("beta");
  });

  it("seeds foreign MACs owned by the hidden other-reseller account", async () => {
    const phones = sim.state().phones;
    for (const mac of FOREIGN_MACS) expect(phones[mac]?.owner).toBe(FOREIGN_ACCOUNT_USERNAME);
    const r = await getPhoneRedirection(alpha, FOREIGN_MACS[4]);
    expect(r.kind === "ok" && r.data.company).toBe(FOREIGN_ACCOUNT_COMPANY);
    const hidden = { ...alpha, username: FOREIGN_ACCOUNT_USERNAME, password: "" };
    expect((await echo(hidden, "x")).kind).toBe("auth_failed");
  });

  it("listPhones returns only own MACs of the model, filtered by exact URL", async () => {
    await registerPhone(alpha, "000413000001", URL1);
    await registerPhone(alpha, "000413000002", URL1 + "?x");
    await registerPhone(beta, "000413000003", URL1);
    const own = await listPhones(alpha, "snomD785");
    expect(own.kind === "ok" && own.data).toEqual(["000413000001", "000413000002"]);
    const exact = await listPhones(alpha, "snomD785", URL1);
    expect(exact.kind === "ok" && exact.data).toEqual(["000413000001"]);
    // An explicit <nil/> filter means no filter.
    const nil = await callRds(alpha, "redirect.listPhones", ["snomD785", null]);
    expect(nil.kind === "reply" && nil.value).toEqual(["000413000001", "000413000002"]);
  });

  it("answers wrong parameter types and unknown methods with faults", async () => {
    const wrong = await callRds(alpha, "redirect.registerPhone", [123, "http://x/"]);
    expect(wrong).toMatchObject({ kind: "protocol" });
    expect(wrong.kind === "protocol" && wrong.message).toMatch(/-32602/);
    const unknown = await callRds(alpha, "redirect.nope", []);
    expect(unknown.kind === "protocol" && unknown.message).toMatch(/-32601/);
  });

  it("records every call with method, MAC, user, the credentials as sent, and outcome", async () => {
    await registerPhone(alpha, "000413000001", URL1);
    await registerPhone(beta, "000413000001", URL1);
    await checkPhone({ ...alpha, password: "bad" }, "000413000001");
    const calls = sim.state().calls;
    expect(calls.map(({ at: _at, startedAt: _startedAt, ...c }) => c)).toEqual([
      { method: "redirect.registerPhone", username: "alpha", mac: "000413000001", outcome: "ok", authUser: "alpha", authPassword: alpha.password },
      { method: "redirect.registerPhone", username: "beta", mac: "000413000001", outcome: "owned_by_other_user", authUser: "beta", authPassword: beta.password },
      { method: "redirect.checkPhone", mac: "000413000001", outcome: "auth_failed", authUser: "alpha", authPassword: "bad" },
    ]);
    expect(calls[0].at).toBeGreaterThan(Date.now() - 60_000);
    expect(sim.callCount()).toBe(3);
    expect(sim.callCount("redirect.registerPhone")).toBe(2);
    expect(sim.callCount(undefined, "000413000001")).toBe(3);
    expect(sim.callCount("redirect.checkPhone", "000413000002")).toBe(0);
  });

  it("answers 404 off /xmlrpc/, 405 for GET and 400 for a non-XML-RPC body", async () => {
    const auth = { Authorization: basicAuthorization("alpha", "a-pass") };
    const origin = sim.url.replace(/\/xmlrpc\/$/, "");
    expect((await fetch(`${origin}/xmlrpc`, { method: "POST", headers: auth })).status).toBe(404);
    expect((await fetch(`${origin}/`, { method: "POST", headers: auth })).status).toBe(404);
    expect((await fetch(sim.url, { headers: auth })).status).toBe(405);
    expect((await fetch(sim.url, { method: "POST", headers: auth, body: "hello" })).status).toBe(400);
    const noAuth = await fetch(sim.url, { method: "POST", body: serializer.serializeMethodCall("network.echo", ["x"]) });
    expect(noAuth.status).toBe(401);
    expect(noAuth.headers.get("www-authenticate")).toMatch(/^Basic/);
  });

  it("reset() restores the seed and clears the log", async () => {
    await registerPhone(alpha, "000413000001", URL1);
    sim.setFaults({ rate: 1, modes: ["http500"] });
    sim.reset();
    expect(Object.keys(sim.state().phones).sort()).toEqual([...FOREIGN_MACS]);
    expect(sim.state().calls).toEqual([]);
    expect((await echo(alpha, "x")).kind).toBe("ok");
  });
});

describe("fault injection", () => {
  let sim: Simulator;
  afterEach(() => sim?.close());

  it("faults come before the call: nothing is applied", async () => {
    sim = await startSimulator({ accounts: ACCOUNTS, faultRate: 1, faultModes: ["fault", "garbage", "http503"] });
    for (let i = 0; i < 6; i++) expect((await registerPhone(as(sim, 0), "000413000001", URL1)).kind).not.toBe("ok");
    expect(sim.state().phones["000413000001"]).toBeUndefined();
    expect(sim.state().calls.every((c) => /^fault:(fault|garbage|http503)$/.test(c.outcome))).toBe(true);
  });

  it("applies the rate with the given random source", async () => {
    const rolls = [0.1, 0.0, 0.9, 0.6, 0.3, 0.99];
    sim = await startSimulator({ accounts: ACCOUNTS, faultRate: 0.5, faultModes: ["http500", "fault"], random: () => rolls.shift() ?? 1 });
    const kinds = [];
    for (let i = 0; i < 4; i++) kinds.push((await echo(as(sim, 0), "x")).kind);
    // roll 0.1 < 0.5 -> fault, mode roll 0.0 -> http500; 0.9 -> ok; 0.6 -> ok; 0.3 -> fault, mode 0.99 -> "fault"
    expect(kinds).toEqual(["transient", "ok", "ok", "protocol"]);
    expect(sim.state().calls.map((c) => c.outcome)).toEqual(["fault:http500", "ok", "ok", "fault:fault"]);
  });
});

describe("hang and close", () => {
  it("a hanging call ends when the simulator closes, and close() does not wait for it", async () => {
    const sim = await startSimulator({ accounts: ACCOUNTS });
    expect((await echo(as(sim, 1), "idle keep-alive socket")).kind).toBe("ok");
    sim.setFaults({ rate: 1, modes: ["hang"] });
    const pending = echo({ ...as(sim, 0), timeoutMs: 30_000 }, "x");
    await waitFor(() => sim.callCount() === 2);
    const started = Date.now();
    await sim.close();
    const r = await pending;
    expect(Date.now() - started).toBeLessThan(2_000);
    expect(r.kind).toBe("transient");
  });

  it("records when each call arrived and when it was answered, so overlapping calls can be found", async () => {
    const sim = await startSimulator({ accounts: ACCOUNTS, latencyMs: 200 });
    try {
      const before = Date.now();
      await Promise.all([registerPhone(as(sim, 0), "000413000001", URL1), registerPhone(as(sim, 0), "000413000001", URL1)]);
      await checkPhone({ ...as(sim, 0), password: "bad" }, "000413000001");
      const [a, b, refused] = sim.state().calls;
      for (const call of [a, b, refused]) {
        expect(call.startedAt).toBeGreaterThanOrEqual(before);
        expect(call.at).toBeGreaterThanOrEqual(call.startedAt);
      }
      // Both registrations were in the service's hands at the same time.
      expect(a.at - a.startedAt).toBeGreaterThanOrEqual(190);
      expect(Math.max(a.startedAt, b.startedAt)).toBeLessThan(Math.min(a.at, b.at));
    } finally {
      await sim.close();
    }
  });

  it("latency is applied before answering", async () => {
    const sim = await startSimulator({ accounts: ACCOUNTS, latencyMs: 200 });
    try {
      const r = await echo(as(sim, 0), "x");
      expect(r.kind).toBe("ok");
      expect(r.durationMs).toBeGreaterThanOrEqual(190);
      sim.setLatency(0);
      expect((await echo(as(sim, 0), "x")).durationMs).toBeLessThan(190);
    } finally {
      await sim.close();
    }
  });
});

describe("persistence", () => {
  it("writes the state file after each change and reloads it", async () => {
    const dir = mkdtempSync(path.join(tmpdir(), "sim-state-"));
    const stateFile = path.join(dir, "nested", "state.json");
    const first = await startSimulator({ accounts: ACCOUNTS, stateFile });
    await registerPhone(as(first, 0), "000413000001", "https://p.example/?mac={mac}&x=1");
    await registerPhone(as(first, 1), "00087B000001", URL1);
    await deregisterPhone(as(first, 1), "00087B000001");
    await registerPhone(as(first, 1), "00087B000002", URL1);
    const onDisk = JSON.parse(readFileSync(stateFile, "utf8"));
    expect(onDisk.phones["000413000001"]).toEqual({ owner: "alpha", url: "https://p.example/?mac={mac}&x=1" });
    expect(onDisk.phones["00087B000001"]).toBeUndefined();
    expect(readdirSync(path.dirname(stateFile))).toEqual(["state.json"]); // no temp files left
    await first.close();

    const second = await startSimulator({ accounts: ACCOUNTS, stateFile });
    try {
      expect(second.state().phones["000413000001"]).toEqual({ owner: "alpha", url: "https://p.example/?mac={mac}&x=1" });
      expect((await checkPhone(as(second, 1), "00087B000002")).kind).toBe("ok");
      expect((await checkPhone(as(second, 1), "000413000001")).kind).toBe("owned_by_other_user");
      expect(second.state().phones[FOREIGN_MACS[0]]?.owner).toBe(FOREIGN_ACCOUNT_USERNAME);
    } finally {
      await second.close();
    }
  });

  it("seedForeignMacs: false starts empty", async () => {
    const sim = await startSimulator({ accounts: ACCOUNTS, seedForeignMacs: false });
    try {
      expect(sim.state().phones).toEqual({});
      expect((await getPhoneRedirection(as(sim, 0), FOREIGN_MACS[0])).kind).toBe("no_such_mac");
    } finally {
      await sim.close();
    }
  });
});

describe("control interface", () => {
  let sim: Simulator;
  beforeAll(async () => {
    sim = await startSimulator({ accounts: ACCOUNTS });
  });
  afterAll(() => sim.close());

  it("GET state, POST faults, POST reset, without credentials", async () => {
    await registerPhone(as(sim, 0), "000413000001", URL1);
    const state = await (await fetch(`${sim.controlUrl}state`)).json();
    expect(state.phones["000413000001"]).toEqual({ owner: "alpha", url: URL1 });
    expect(state.calls).toHaveLength(1);
    // The unauthenticated control interface shows a fingerprint, never the password.
    expect(state.calls[0]).toMatchObject({ authUser: "alpha", authPasswordSha256: expect.stringMatching(/^[0-9a-f]{64}$/) });
    expect(JSON.stringify(state)).not.toContain(ACCOUNTS[0].password);
    expect(state.faults).toEqual({ rate: 0, modes: [] });

    const set = await fetch(`${sim.controlUrl}faults`, {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ rate: 1, modes: ["http503"], latencyMs: 10 }),
    });
    expect(set.status).toBe(200);
    expect(await set.json()).toEqual({ faults: { rate: 1, modes: ["http503"] }, latencyMs: 10 });
    expect(await echo(as(sim, 0), "x")).toMatchObject({ kind: "transient", raw: { status: 503 } });

    expect((await fetch(`${sim.controlUrl}reset`, { method: "POST" })).status).toBe(200);
    expect(sim.state().phones["000413000001"]).toBeUndefined();
    expect((await echo(as(sim, 0), "x")).kind).toBe("ok");
  });

  it("rejects bad control input", async () => {
    const post = (body: string) => fetch(`${sim.controlUrl}faults`, { method: "POST", body });
    expect((await post("{")).status).toBe(400);
    const bad = await post(JSON.stringify({ rate: 3, modes: ["explode"] }));
    expect(bad.status).toBe(400);
    expect((await bad.json()).error).toMatch(/rate|modes/);
    expect((await fetch(`${sim.controlUrl}nothing`)).status).toBe(404);
    expect(() => sim.setFaults({ rate: -1 })).toThrow(/between 0 and 1/);
  });
});

async function waitFor(check: () => boolean, timeoutMs = 3_000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > end) throw new Error("condition not met in time");
    await new Promise((r) => setTimeout(r, 10));
  }
}
