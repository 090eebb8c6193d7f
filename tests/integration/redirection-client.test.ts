// The client against the simulator over real loopback HTTP: every method, every outcome kind.
import { createServer } from "node:net";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import {
  checkPhone,
  closeAgents,
  deregisterPhone,
  deregisterPhoneList,
  echo,
  getPhoneRedirection,
  listPhones,
  registerPhone,
  registerPhoneList,
} from "@/lib/redirection/client";
import { FOREIGN_MACS, startSimulator, type Simulator } from "@/lib/redirection/simulator";
import { isRetryable, type RdsAccount } from "@/lib/redirection/types";

const TRICKY_PASSWORD = "p:a@ss%wörd ü";
let sim: Simulator;
let acc: RdsAccount;
let tricky: RdsAccount;

beforeAll(async () => {
  sim = await startSimulator({
    port: 0,
    accounts: [
      { username: "reseller", password: "secret", company: "Reseller AG" },
      { username: "tricky@example.com", password: TRICKY_PASSWORD, company: "Trïcky GmbH" },
    ],
  });
  acc = { url: sim.url, username: "reseller", password: "secret", timeoutMs: 5_000 };
  tricky = { url: sim.url, username: "tricky@example.com", password: TRICKY_PASSWORD, timeoutMs: 5_000 };
});
afterAll(async () => {
  closeAgents();
  await sim.close();
});
beforeEach(() => sim.reset());

const MAC = "000413A1B2C3";
const URL1 = "https://prov.example.net/snom/{mac}.xml";

describe("ok outcomes", () => {
  it("registerPhone registers and reports ok with raw reply and duration", async () => {
    const r = await registerPhone(acc, MAC, URL1);
    expect(r).toMatchObject({ kind: "ok", data: true, raw: { status: 200 } });
    expect(r.raw.excerpt).toContain("<methodResponse>");
    expect(r.durationMs).toBeGreaterThanOrEqual(0);
    expect(sim.state().phones[MAC]).toEqual({ owner: "reseller", url: URL1 });
  });

  it("keeps {mac} and & in the URL verbatim", async () => {
    const url = "https://prov.example.net/prv.php?mac={mac}&model=x&a=%20b";
    expect((await registerPhone(acc, MAC, url)).kind).toBe("ok");
    expect(sim.state().phones[MAC].url).toBe(url);
    const r = await getPhoneRedirection(acc, MAC);
    expect(r.kind === "ok" && r.data).toEqual({ company: "Reseller AG", url });
  });

  it("re-registering an own MAC overwrites the URL", async () => {
    await registerPhone(acc, MAC, URL1);
    expect((await registerPhone(acc, MAC, "http://new.example/{mac}")).kind).toBe("ok");
    expect(sim.state().phones[MAC].url).toBe("http://new.example/{mac}");
  });

  it("checkPhone, deregisterPhone", async () => {
    await registerPhone(acc, MAC, URL1);
    expect((await checkPhone(acc, MAC)).kind).toBe("ok");
    expect((await deregisterPhone(acc, MAC)).kind).toBe("ok");
    expect(sim.state().phones[MAC]).toBeUndefined();
  });

  it("getPhoneRedirection reveals a foreign owner's company", async () => {
    const r = await getPhoneRedirection(acc, FOREIGN_MACS[0]);
    expect(r.kind).toBe("ok");
    if (r.kind === "ok") expect(r.data.company).toBe("Other Reseller GmbH");
  });

  it("listPhones lists own MACs of a model, with and without URL filter", async () => {
    await registerPhone(acc, "000413000002", URL1);
    await registerPhone(acc, "000413000001", "http://other.example/x");
    await registerPhone(acc, "00087B000001", URL1);
    const all = await listPhones(acc, "snomD785");
    expect(all.kind === "ok" && all.data).toEqual(["000413000001", "000413000002"]);
    const filtered = await listPhones(acc, "snomD785", URL1);
    expect(filtered.kind === "ok" && filtered.data).toEqual(["000413000002"]);
    const dect = await listPhones(acc, "snomM700");
    expect(dect.kind === "ok" && dect.data).toEqual(["00087B000001"]);
    const none = await listPhones(acc, "snomD120");
    expect(none).toMatchObject({ kind: "ok", data: [] });
    expect(sim.callCount("redirect.listPhones")).toBe(4);
  });

  it("registerPhoneList / deregisterPhoneList answer per MAC", async () => {
    const r = await registerPhoneList(acc, ["000413000001", "000413000002", FOREIGN_MACS[1], "zz"], URL1);
    expect(r.kind === "ok" && r.data).toEqual([false, true, true, false, false]);
    expect(Object.keys(sim.state().phones)).toEqual(expect.arrayContaining(["000413000001", "000413000002"]));
    const all = await registerPhoneList(acc, ["000413000003"], URL1);
    expect(all.kind === "ok" && all.data).toEqual([true, true]);
    const d = await deregisterPhoneList(acc, ["000413000001", "000413000009"]);
    expect(d.kind === "ok" && d.data).toEqual([false, true, false]);
    expect(sim.state().phones["000413000001"]).toBeUndefined();
    expect(sim.state().phones["000413000002"]).toBeDefined();
  });

  it("echo echoes", async () => {
    expect(await echo(acc, "ping")).toMatchObject({ kind: "ok", data: "ping" });
  });

  it("a password with : @ % and ü authenticates", async () => {
    expect(await echo(tricky, "ping")).toMatchObject({ kind: "ok", data: "ping" });
    expect((await registerPhone(tricky, MAC, URL1)).kind).toBe("ok");
    expect(sim.state().phones[MAC].owner).toBe("tricky@example.com");
  });
});

describe("service errors", () => {
  it("owned_by_other_user for every single-MAC method that checks ownership", async () => {
    const foreign = FOREIGN_MACS[0];
    for (const r of [
      await registerPhone(acc, foreign, URL1),
      await deregisterPhone(acc, foreign),
      await checkPhone(acc, foreign),
    ]) {
      expect(r).toMatchObject({ kind: "owned_by_other_user", message: "Error:owned_by_other_user" });
      expect(isRetryable(r.kind)).toBe(false);
    }
    expect(sim.state().phones[foreign].owner).toBe("other-reseller");
  });

  it("malformed_mac", async () => {
    for (const r of [
      await registerPhone(acc, "00:04:13:A1:B2:C3", URL1),
      await deregisterPhone(acc, "000413A1B2"),
      await checkPhone(acc, "000413A1B2CG"),
      await getPhoneRedirection(acc, ""),
    ]) {
      expect(r.kind).toBe("malformed_mac");
    }
  });

  it("malformed_url", async () => {
    for (const url of ["ftp://x/{mac}", "https://", "https://host/a b", "prov.example.net/{mac}"]) {
      const r = await registerPhone(acc, MAC, url);
      expect(r).toMatchObject({ kind: "malformed_url", message: "Error:malformed_url" });
    }
    expect(sim.state().phones[MAC]).toBeUndefined();
  });

  it("no_such_mac", async () => {
    expect((await deregisterPhone(acc, MAC)).kind).toBe("no_such_mac");
    expect((await checkPhone(acc, MAC)).kind).toBe("no_such_mac");
    expect((await getPhoneRedirection(acc, MAC)).kind).toBe("no_such_mac");
  });

  it("auth_failed on a wrong password, for every method", async () => {
    const bad = { ...acc, password: "wrong" };
    const results = [
      await registerPhone(bad, MAC, URL1),
      await deregisterPhone(bad, MAC),
      await checkPhone(bad, MAC),
      await getPhoneRedirection(bad, MAC),
      await listPhones(bad, "snomD785"),
      await registerPhoneList(bad, [MAC], URL1),
      await deregisterPhoneList(bad, [MAC]),
      await echo(bad, "ping"),
    ];
    for (const r of results) expect(r).toMatchObject({ kind: "auth_failed", raw: { status: 401 } });
    expect(sim.state().phones[MAC]).toBeUndefined();
    expect(sim.callCount()).toBe(8);
    expect(sim.state().calls.every((c) => c.outcome === "auth_failed")).toBe(true);
  });
});

describe("transient failures", () => {
  for (const mode of ["http500", "http503", "reset"] as const) {
    it(`${mode} is transient and registered nothing`, async () => {
      sim.setFaults({ rate: 1, modes: [mode] });
      const r = await registerPhone(acc, MAC, URL1);
      expect(r.kind).toBe("transient");
      expect(isRetryable(r.kind)).toBe(true);
      if (mode !== "reset") expect(r.raw.status).toBe(mode === "http500" ? 500 : 503);
      else expect(r.raw.status).toBeUndefined();
      expect(sim.state().phones[MAC]).toBeUndefined();
      expect(sim.state().calls.at(-1)?.outcome).toBe(`fault:${mode}`);
    });
  }

  it("hang hits the client timeout", async () => {
    sim.setFaults({ rate: 1, modes: ["hang"] });
    const r = await checkPhone({ ...acc, timeoutMs: 300 }, MAC);
    expect(r.kind).toBe("transient");
    expect("message" in r && r.message).toMatch(/Timed out after 300 ms/);
    expect(r.durationMs).toBeGreaterThanOrEqual(290);
    expect(r.durationMs).toBeLessThan(3_000);
  });

  it("latency beyond the timeout is transient, within it ok", async () => {
    sim.setLatency(400);
    expect((await echo({ ...acc, timeoutMs: 150 }, "x")).kind).toBe("transient");
    const slow = await echo({ ...acc, timeoutMs: 2_000 }, "x");
    expect(slow.kind).toBe("ok");
    expect(slow.durationMs).toBeGreaterThanOrEqual(390);
  });

  it("connection refused on a closed port", async () => {
    const port = await freePort();
    const r = await echo({ ...acc, url: `http://127.0.0.1:${port}/xmlrpc/` }, "ping");
    expect(r.kind).toBe("transient");
    // In words first, with the address and the code for whoever digs deeper.
    expect("message" in r && r.message).toBe(`Connection refused: nothing answers on that port (127.0.0.1:${port}, ECONNREFUSED)`);
    expect(r.raw.status).toBeUndefined();
  });

  it("unknown host is transient", async () => {
    const r = await echo({ ...acc, url: "http://does-not-exist.invalid:8083/xmlrpc/" }, "ping");
    expect(r.kind).toBe("transient");
    expect("message" in r && r.message).toMatch(/ENOTFOUND|EAI_AGAIN/);
  });
});

describe("protocol failures", () => {
  it("an XML-RPC fault", async () => {
    sim.setFaults({ rate: 1, modes: ["fault"] });
    const r = await registerPhone(acc, MAC, URL1);
    expect(r).toMatchObject({ kind: "protocol", raw: { status: 200 } });
    expect("message" in r && r.message).toBe("Fault -32500: Simulated server fault");
    expect(isRetryable(r.kind)).toBe(false);
  });

  it("a garbage body", async () => {
    sim.setFaults({ rate: 1, modes: ["garbage"] });
    const r = await listPhones(acc, "snomD785");
    expect(r.kind).toBe("protocol");
    expect(r.raw.excerpt).toBe("HTML page, 54 bytes, text/html");
  });

  it("a URL without the trailing slash gets 404", async () => {
    const r = await registerPhone({ ...acc, url: sim.url.replace(/\/$/, "") }, MAC, URL1);
    expect(r).toMatchObject({ kind: "protocol", raw: { status: 404 } });
    expect("message" in r && r.message).toMatch(/trailing slash/);
  });

  it("an invalid service URL", async () => {
    expect((await echo({ ...acc, url: "not a url" }, "x")).kind).toBe("protocol");
    expect((await echo({ ...acc, url: "ftp://127.0.0.1/xmlrpc/" }, "x")).kind).toBe("protocol");
  });
});

describe("keep-alive", () => {
  it("reuses sockets across sequential calls", async () => {
    const before = sim.connectionCount();
    for (let i = 0; i < 5; i++) expect((await echo(acc, `n${i}`)).kind).toBe("ok");
    expect(sim.connectionCount() - before).toBeLessThanOrEqual(1);
  });
});

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.listen(0, "127.0.0.1", () => {
      const address = srv.address();
      if (!address || typeof address === "string") return reject(new Error("no port"));
      srv.close(() => resolve(address.port));
    });
  });
}
