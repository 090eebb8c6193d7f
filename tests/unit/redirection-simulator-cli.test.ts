import { describe, expect, it } from "vitest";
import { DEFAULT_SIMULATOR_ACCOUNT, parseAccountSpec, parseSimulatorArgs } from "@/lib/redirection/simulator-cli";
import { modelForMac } from "@/lib/redirection/simulator";

describe("parseAccountSpec", () => {
  it("takes the password from between the first and the last colon", () => {
    expect(parseAccountSpec("a:b:c:Company")).toEqual({ username: "a", password: "b:c", company: "Company" });
    expect(parseAccountSpec("user:p@ss%ü:Sandbox Reseller GmbH")).toEqual({
      username: "user",
      password: "p@ss%ü",
      company: "Sandbox Reseller GmbH",
    });
  });

  it("rejects incomplete specs", () => {
    expect(() => parseAccountSpec("user:pass")).toThrow(/<user>:<password>:<company>/);
    expect(() => parseAccountSpec(":pass:Co")).toThrow(/user name is empty/);
    expect(() => parseAccountSpec("user::Co")).toThrow(/password is empty/);
    expect(() => parseAccountSpec("user:pass: ")).toThrow(/company is empty/);
  });
});

describe("parseSimulatorArgs", () => {
  it("--sandbox-accounts: the portal's shared sandbox, with no account of its own unless named", () => {
    const shared = parseSimulatorArgs(["--sandbox-accounts", "--port", "0"]);
    expect(shared.ok && shared.sandboxAccounts).toBe(true);
    expect(shared.ok && shared.options.accounts).toEqual([]);
    const withOwn = parseSimulatorArgs(["--sandbox-accounts", "--account", "lab:pw:Lab"]);
    expect(withOwn.ok && withOwn.options.accounts).toEqual([{ username: "lab", password: "pw", company: "Lab" }]);
  });

  it("defaults to the sandbox account", () => {
    const result = parseSimulatorArgs([]);
    expect(result).toEqual({
      ok: true,
      options: {
        port: 8083,
        host: "127.0.0.1",
        accounts: [DEFAULT_SIMULATOR_ACCOUNT],
        latencyMs: 0,
        faultRate: 0,
        faultModes: [],
        stateFile: undefined,
      },
      sandboxAccounts: false,
    });
    expect(DEFAULT_SIMULATOR_ACCOUNT).toEqual({ username: "sandbox", password: "sandbox", company: "Sandbox Reseller" });
  });

  it("parses every option, repeated accounts and fault modes as list or repeats", () => {
    const result = parseSimulatorArgs([
      "--port", "0", "--host", "0.0.0.0",
      "--account", "a:b:c:Company",
      "--account", "x:y:Other",
      "--latency-ms", "25", "--fault-rate", "0.5",
      "--fault-mode", "http500,reset", "--fault-mode", "hang",
      "--state-file", "/tmp/sim.json",
    ]);
    expect(result).toEqual({
      ok: true,
      options: {
        port: 0,
        host: "0.0.0.0",
        accounts: [
          { username: "a", password: "b:c", company: "Company" },
          { username: "x", password: "y", company: "Other" },
        ],
        latencyMs: 25,
        faultRate: 0.5,
        faultModes: ["http500", "reset", "hang"],
        stateFile: "/tmp/sim.json",
      },
      sandboxAccounts: false,
    });
  });

  it("explains bad input", () => {
    const error = (argv: string[]) => {
      const r = parseSimulatorArgs(argv);
      return r.ok ? "" : r.error;
    };
    expect(error(["--port", "70000"])).toMatch(/^--port:/);
    expect(error(["--port", "abc"])).toMatch(/^--port:/);
    expect(error(["--fault-rate", "2", "--fault-mode", "reset"])).toMatch(/^--fault-rate:/);
    expect(error(["--fault-mode", "explode"])).toMatch(/^--fault-mode:/);
    expect(error(["--fault-rate", "0.1"])).toMatch(/needs at least one --fault-mode/);
    expect(error(["--account", "nocolon"])).toMatch(/<user>:<password>:<company>/);
    expect(error(["--account", "a:b:C", "--account", "a:c:D"])).toMatch(/given twice/);
    expect(error(["--bogus"])).toMatch(/bogus/);
  });
});

describe("modelForMac", () => {
  it("files MACs under a model by prefix", () => {
    expect(modelForMac("000413A1B2C3")).toBe("snomD785");
    expect(modelForMac("00087ba1b2c3")).toBe("snomM700");
    expect(modelForMac("AABBCCDDEEFF")).toBe("unknown");
  });
});
