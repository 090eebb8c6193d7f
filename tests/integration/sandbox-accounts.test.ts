// The built-in sandbox gives every organization its own account: registrations never collide.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { registerPhone, getPhoneRedirection, deregisterPhone } from "@/lib/redirection/client";
import { startSimulator, type Simulator } from "@/lib/redirection/simulator";
import { resolveSandboxAccount, SANDBOX_COMPANY, SANDBOX_PASSWORD, sandboxUsername } from "@/lib/redirection/sandbox-account";

let sim: Simulator;
const account = (orgId: string, password = SANDBOX_PASSWORD) => ({ url: sim.url, username: sandboxUsername(orgId), password });

beforeAll(async () => {
  sim = await startSimulator({ accounts: [], resolveAccount: resolveSandboxAccount });
});

afterAll(async () => {
  await sim.close();
});

describe("per-organization sandbox accounts", () => {
  it("keeps one organization's MAC its own: the other gets owned_by_other_user and cannot deregister it", async () => {
    expect((await registerPhone(account("org-a"), "000413000A01", "https://a.example/{mac}")).kind).toBe("ok");
    expect((await registerPhone(account("org-b"), "000413000A01", "https://b.example/{mac}")).kind).toBe("owned_by_other_user");
    expect((await deregisterPhone(account("org-b"), "000413000A01")).kind).toBe("owned_by_other_user");
    const seen = await getPhoneRedirection(account("org-b"), "000413000A01");
    expect(seen).toMatchObject({ kind: "ok", data: { company: SANDBOX_COMPANY, url: "https://a.example/{mac}" } });
    expect(sim.state().phones["000413000A01"]).toEqual({ owner: "sandbox-org-a", url: "https://a.example/{mac}" });
  });

  it("refuses a wrong password and names that are not sandbox accounts", async () => {
    expect((await registerPhone(account("org-a", "nope"), "000413000A02", "https://a.example/{mac}")).kind).toBe("auth_failed");
    expect(resolveSandboxAccount("admin", SANDBOX_PASSWORD)).toBeNull();
    expect(resolveSandboxAccount("sandbox-x y", SANDBOX_PASSWORD)).toBeNull();
  });
});
