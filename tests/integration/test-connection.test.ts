// "Test connection" over real HTTP: one test per outcome the settings page can show.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Simulator } from "../../lib/redirection/simulator";
import { NOT_ECHO_MESSAGE, testConnection } from "../../lib/redirection/test-connection";
import type { RdsAccount } from "../../lib/redirection/types";
import { accountFor, startTestSimulator } from "../support/sync-fixtures";

let sim: Simulator;
let account: RdsAccount;

beforeAll(async () => {
  sim = await startTestSimulator();
  account = accountFor(sim, 1_000);
});
afterAll(() => sim.close());

async function withFault(mode: Parameters<Simulator["setFaults"]>[0]["modes"], run: () => Promise<void>) {
  sim.setFaults({ rate: 1, modes: mode });
  try {
    await run();
  } finally {
    sim.setFaults({ rate: 0, modes: [] });
  }
}

describe("testConnection", () => {
  it("connected: network.echo returned exactly the random nonce we sent", async () => {
    const result = await testConnection(account);
    expect(result).toMatchObject({ outcome: "connected", message: "Connected." });
    const echoes = sim.state().calls.filter((c) => c.method === "network.echo");
    expect(echoes.at(-1)?.outcome).toBe("ok");
  });

  it("not_echo: a server that answers Ok to everything is not taken for the service", async () => {
    await withFault(["echo_ok"], async () => {
      expect(await testConnection(account)).toEqual({
        outcome: "not_echo",
        message: NOT_ECHO_MESSAGE,
        durationMs: expect.any(Number),
      });
    });
  });

  it("auth_failed: wrong password", async () => {
    expect(await testConnection({ ...account, password: "wrong" })).toMatchObject({
      outcome: "auth_failed",
      message: "Wrong credentials: the service refused the username or password.",
    });
  });

  it("html_page: a login page answering 200", async () => {
    await withFault(["html_login"], async () => {
      const result = await testConnection(account);
      expect(result.outcome).toBe("html_page");
      expect(result.message).toMatch(
        /^The endpoint answered with a web page, not XML-RPC \(HTML page, 5 \d{3} bytes, text\/html; charset=utf-8\): it may be a login page/,
      );
    });
  });

  it("not_found: the endpoint without its trailing slash gets the hint", async () => {
    const result = await testConnection({ ...account, url: account.url.replace(/\/$/, "") });
    expect(result).toMatchObject({ outcome: "not_found", message: expect.stringContaining("trailing slash included") });
  });

  it("redirect: named, with where it pointed, and not followed", async () => {
    await withFault(["redirect"], async () => {
      const before = sim.connectionCount();
      const result = await testConnection(account);
      expect(result.outcome).toBe("redirect");
      expect(result.message).toBe(
        "The service redirected the call (HTTP 302 to http://169.254.169.254/latest/meta-data/); redirects are not followed: enter the final endpoint URL.",
      );
      expect(sim.connectionCount() - before).toBeLessThanOrEqual(1);
    });
  });

  it("private_address: refused before any call without the operator's allowance", async () => {
    const before = sim.state().calls.length;
    const result = await testConnection({ ...account, allowPrivateAddresses: false });
    expect(result.outcome).toBe("private_address");
    expect(result.message).toBe(
      "This address (127.0.0.1) is in the loopback network (this machine) (127.0.0.0/8); the portal only calls public addresses unless the operator sets ALLOW_PRIVATE_ENDPOINTS=1.",
    );
    expect(sim.state().calls.length).toBe(before);
  });

  it("timeout: no answer within the call timeout", async () => {
    await withFault(["hang"], async () => {
      expect(await testConnection({ ...account, timeoutMs: 300 })).toMatchObject({
        outcome: "timeout",
        message: expect.stringMatching(/^No answer in time \(300 ms\)/),
      });
    });
  });

  it("service_error: HTTP 503", async () => {
    await withFault(["http503"], async () => {
      expect(await testConnection(account)).toMatchObject({
        outcome: "service_error",
        message: expect.stringContaining("HTTP 503"),
      });
    });
  });

  it("protocol: a reply that is not XML-RPC at all", async () => {
    await withFault(["binary"], async () => {
      expect(await testConnection(account)).toMatchObject({
        outcome: "protocol",
        message: expect.stringContaining("not like snom's redirection service"),
      });
    });
  });

  it("unreachable: nothing listens on the port", async () => {
    const closed = await startTestSimulator();
    const url = closed.url;
    await closed.close();
    expect(await testConnection({ ...account, url })).toMatchObject({
      outcome: "unreachable",
      message: expect.stringContaining("Connection refused"),
    });
  });
});
