// The built-in sandbox gives every organization its own account: registrations never collide, and
// one organization cannot sign in as another's sandbox account (passwords derive from the key).
import { randomBytes } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { registerPhone, getPhoneRedirection, deregisterPhone } from "@/lib/redirection/client";
import { startSimulator, type Simulator } from "@/lib/redirection/simulator";
import {
  sandboxCompany,
  sandboxAccountResolver,
  sandboxPassword,
  sandboxUsername,
} from "@/lib/redirection/sandbox-account";

const KEY = randomBytes(32);
let sim: Simulator;
const account = (orgId: string, password = sandboxPassword(orgId, KEY)) => ({
  url: sim.url,
  username: sandboxUsername(orgId),
  password,
});

beforeAll(async () => {
  sim = await startSimulator({ accounts: [], resolveAccount: sandboxAccountResolver(KEY) });
});

afterAll(async () => {
  await sim.close();
});

describe("per-organization sandbox accounts", () => {
  it("keeps one organization's MAC its own: the other gets owned_by_other_user and cannot deregister it", async () => {
    expect((await registerPhone(account("org-a"), "000413000A01", "https://a.example/{mac}")).kind).toBe("ok");
    expect((await registerPhone(account("org-b"), "000413000A01", "https://b.example/{mac}")).kind).toBe(
      "owned_by_other_user",
    );
    expect((await deregisterPhone(account("org-b"), "000413000A01")).kind).toBe("owned_by_other_user");
    const seen = await getPhoneRedirection(account("org-b"), "000413000A01");
    expect(seen).toMatchObject({ kind: "ok", data: { company: sandboxCompany("org-a"), url: "https://a.example/{mac}" } });
    // The owner is another sandbox account, told apart from the asking organization's own.
    expect(sandboxCompany("org-a")).not.toBe(sandboxCompany("org-b"));
    expect(sim.state().phones["000413000A01"]).toEqual({ owner: "sandbox-org-a", url: "https://a.example/{mac}" });
  });

  it("refuses a wrong password and names that are not sandbox accounts", async () => {
    expect((await registerPhone(account("org-a", "nope"), "000413000A02", "https://a.example/{mac}")).kind).toBe(
      "auth_failed",
    );
    const resolve = sandboxAccountResolver(KEY);
    expect(resolve("admin", sandboxPassword("admin", KEY))).toBeNull();
    expect(resolve("sandbox-x y", sandboxPassword("x y", KEY))).toBeNull();
  });

  it("one organization cannot act as another's sandbox account: not with its own password, not with a fixed one", async () => {
    expect(sandboxPassword("org-a", KEY)).not.toBe(sandboxPassword("org-b", KEY));
    expect(sandboxPassword("org-a", KEY)).not.toBe(sandboxPassword("org-a", randomBytes(32)));
    // org-b's password (or the old fixed "sandbox") for org-a's account: refused, nothing changes.
    for (const password of [sandboxPassword("org-b", KEY), "sandbox"]) {
      const res = await deregisterPhone(account("org-a", password), "000413000A01");
      expect(res.kind).toBe("auth_failed");
    }
    expect(sim.state().phones["000413000A01"]).toEqual({ owner: "sandbox-org-a", url: "https://a.example/{mac}" });
  });
});
