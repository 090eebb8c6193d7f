// Settings → Redirection service: the stored password goes only to the endpoint kind, URL and
// username it was saved for. Real database, real simulators over loopback (X: where the password
// was saved; Y: somewhere else, which would accept the same credentials if they were sent).
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { prisma } from "@/lib/db";
import type { Actor } from "@/lib/data/common";
import {
  getRedirectionSettings,
  RETYPE_PASSWORD,
  testOrSaveRedirectionSettings,
} from "@/lib/data/redirection-settings";
import { accountFromSettings } from "@/lib/redirection/org-account";
import { closeAgents } from "@/lib/redirection/client";
import type { Simulator } from "@/lib/redirection/simulator";
import { createOrganization, createUser } from "../factories";
import { SIM_PASSWORD, SIM_USER, startTestSimulator } from "../support/sync-fixtures";

let simX: Simulator;
let simY: Simulator;
let admin: Actor;

const custom = (url: string, password: string | null, username = SIM_USER) =>
  ({ endpointKind: "CUSTOM", customUrl: url, username, password }) as const;

beforeAll(async () => {
  simX = await startTestSimulator();
  simY = await startTestSimulator();
  const org = await createOrganization(prisma);
  const user = await createUser(prisma, org.id, { role: "ADMIN" });
  admin = { id: user.id, organizationId: org.id, role: "ADMIN" };
  // The password is saved for X (tested first, like the form does).
  const saved = await testOrSaveRedirectionSettings(admin, { intent: "save", input: custom(simX.url, SIM_PASSWORD) });
  expect(saved).toMatchObject({ ok: true, saved: true });
});
afterAll(async () => {
  await simX.close();
  await simY.close();
  closeAgents();
});
beforeEach(() => {
  simX.reset();
  simY.reset();
});

describe("the stored password goes only where it was saved for", () => {
  it("Test connection with another URL and an empty password is refused; Y receives no call", async () => {
    const result = await testOrSaveRedirectionSettings(admin, { intent: "test", input: custom(simY.url, null) });
    expect(result.ok).toBeFalsy();
    expect(result.fieldErrors).toEqual({ password: [RETYPE_PASSWORD] });
    expect(simY.state().calls).toEqual([]);
    expect(simX.state().calls).toEqual([]);
    expect(await accountFromSettings(admin.organizationId, custom(simY.url, null))).toBeNull();
  });

  it("Save with another URL and an empty password is refused and changes nothing, also with 'save anyway'", async () => {
    for (const saveAnyway of [undefined, "yes"] as const) {
      const result = await testOrSaveRedirectionSettings(admin, {
        intent: "save",
        saveAnyway,
        input: custom(simY.url, null),
      });
      expect(result.fieldErrors).toEqual({ password: [RETYPE_PASSWORD] });
    }
    expect(simY.state().calls).toEqual([]);
    const settings = await getRedirectionSettings(admin);
    expect(settings).toMatchObject({ rdsEndpointKind: "CUSTOM", rdsCustomUrl: simX.url, rdsUsername: SIM_USER });
  });

  it("another username or endpoint kind also needs the password typed again; the saved ones do not", async () => {
    const otherUser = await testOrSaveRedirectionSettings(admin, {
      intent: "test",
      input: custom(simX.url, null, "someone-else"),
    });
    expect(otherUser.fieldErrors).toEqual({ password: [RETYPE_PASSWORD] });
    const sraps = await testOrSaveRedirectionSettings(admin, {
      intent: "test",
      input: { endpointKind: "SRAPS", customUrl: null, username: SIM_USER, password: null },
    });
    expect(sraps.fieldErrors).toEqual({ password: [RETYPE_PASSWORD] });
    expect(simX.state().calls).toEqual([]);

    // Exactly the saved kind, URL and username: the stored password is used; a typed one goes to the new URL.
    const same = await testOrSaveRedirectionSettings(admin, { intent: "test", input: custom(simX.url, null) });
    expect(same).toMatchObject({ ok: true, data: { tested: "ok" } });
    expect(simX.state().calls.map((c) => [c.method, c.authUser, c.authPassword])).toEqual([
      ["network.echo", SIM_USER, SIM_PASSWORD],
    ]);

    const typed = await testOrSaveRedirectionSettings(admin, {
      intent: "test",
      input: custom(simY.url, "typed-again"),
    });
    expect(typed.ok).toBeFalsy();
    expect(simY.state().calls.map((c) => c.authPassword)).toEqual(["typed-again"]);
  });
});
