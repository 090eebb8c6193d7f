// A password someone else chose must be replaced at the next sign-in
// (docs/decisions/0018-initial-passwords.md): who gets the flag, what the guards decide from the
// session's one read while it is set, and that changing the password clears it. Real database
// built from the migrations, real sign-ins (lib/auth/sign-in.ts).
import { describe, expect, it } from "vitest";
import { prisma } from "@/lib/db";
import { createOrganizationWithAdmin } from "@/lib/org-bootstrap";
import { setupFirstRun } from "@/lib/data/organizations";
import { changeOwnPassword, createUser, setUserPassword } from "@/lib/data/users";
import { authenticate } from "@/lib/auth/sign-in";
import { createSignInLimiter } from "@/lib/auth/attempts";
import { loadSessionUser, type SessionUser } from "@/lib/auth/session-user";
import { actionDenial, PASSWORD_CHANGE_REQUIRED_MESSAGE, PERMISSION_DENIED_MESSAGES } from "@/lib/auth/roles";
import type { Actor } from "@/lib/data/common";

const flagOf = async (email: string) =>
  (await prisma.user.findUniqueOrThrow({ where: { email }, select: { mustChangePassword: true } })).mustChangePassword;

/** Signs in as the login form does and loads the session's user as every request does. */
async function signInAs(email: string, password: string) {
  const outcome = await authenticate(prisma, createSignInLimiter(prisma), { email, password }, { address: "127.0.0.1", userAgent: null });
  if (outcome.kind !== "ok") throw new Error(`sign-in ${outcome.kind}`);
  const claims = { uid: outcome.user.id, sid: outcome.sessionId, iat: Math.floor(Date.now() / 1000) };
  return { user: await loadSessionUser(prisma, claims) };
}

describe("a password someone else chose", () => {
  it("is not forced on the first-run admin, who chose it; org:create's admin must replace the printed one", async () => {
    expect(
      await setupFirstRun({ organizationName: "First", urlTemplate: null, name: "Ada", email: "ada@first.example", password: "ada-chose-this-1" }),
    ).toEqual({ ok: true });
    expect(await flagOf("ada@first.example")).toBe(false);

    const created = await createOrganizationWithAdmin(prisma, { name: "Second Reseller", adminEmail: "boss@second.example" });
    expect(await flagOf(created.adminEmail)).toBe(true);
    const { user } = await signInAs(created.adminEmail, created.password);
    expect(user).toMatchObject({ email: "boss@second.example", role: "ADMIN", mustChangePassword: true });
  });

  it("is flagged when an admin creates a user or sets another user's password, not their own", async () => {
    const first = await prisma.user.findUniqueOrThrow({ where: { email: "ada@first.example" } });
    const admin: Actor = { id: first.id, organizationId: first.organizationId, role: "ADMIN" };
    const made = await createUser(admin, { name: "Sam", email: "sam@first.example", role: "SALES", password: "admin-typed-pw-1" });
    expect(made.ok).toBe(true);
    expect(await flagOf("sam@first.example")).toBe(true);

    // Sam chooses their own; a reset by the admin flags them again.
    const sam = await prisma.user.findUniqueOrThrow({ where: { email: "sam@first.example" } });
    expect(await changeOwnPassword({ ...sam, role: "SALES" }, "admin-typed-pw-1", "sam-chose-this-1")).toEqual({ ok: true });
    expect(await flagOf("sam@first.example")).toBe(false);
    expect(await setUserPassword(admin, sam.id, "admin-reset-pw-2")).toEqual({ ok: true });
    expect(await flagOf("sam@first.example")).toBe(true);

    // An admin setting their own password on the Users page typed it themselves.
    expect(await setUserPassword(admin, admin.id, "ada-chose-again-2")).toEqual({ ok: true });
    expect(await flagOf("ada@first.example")).toBe(false);
  });

  it("makes every guarded action refuse until the user changes it; the change clears the flag", async () => {
    const { user } = await signInAs("sam@first.example", "admin-reset-pw-2");
    const flagged = user as SessionUser;
    expect(flagged.mustChangePassword).toBe(true);
    // What formAction and getApiAccess decide from this session's user: every action refused...
    for (const permission of ["customers:write", "phones:write", "phones:sync"] as const) {
      expect(actionDenial(flagged, permission)).toBe(PASSWORD_CHANGE_REQUIRED_MESSAGE);
    }
    // ...but the password change itself.
    expect(actionDenial(flagged, "customers:write", { allowPendingPasswordChange: true })).toBeNull();
    expect(actionDenial(flagged, "users:manage", { allowPendingPasswordChange: true })).toBe(PERMISSION_DENIED_MESSAGES["users:manage"]);

    // The given password typed again is no change.
    expect(await changeOwnPassword(flagged, "admin-reset-pw-2", "admin-reset-pw-2")).toMatchObject({
      ok: false,
      fieldErrors: { newPassword: ["Choose a new password, not the current one."] },
    });
    expect(await flagOf("sam@first.example")).toBe(true);

    expect(await changeOwnPassword(flagged, "admin-reset-pw-2", "sam-chose-again-3")).toEqual({ ok: true });
    expect(await flagOf("sam@first.example")).toBe(false);
    const { user: after } = await signInAs("sam@first.example", "sam-chose-again-3");
    expect(after).toMatchObject({ email: "sam@first.example", mustChangePassword: false });
    expect(actionDenial(after!, "customers:write")).toBeNull();
  });

  it("ends the session that made the change even within the second it was signed in (and an admin's reset likewise)", async () => {
    const outcome = await authenticate(prisma, createSignInLimiter(prisma), { email: "sam@first.example", password: "sam-chose-again-3" }, { address: "127.0.0.1", userAgent: null });
    if (outcome.kind !== "ok") throw new Error(`sign-in ${outcome.kind}`);
    const sam = await prisma.user.findUniqueOrThrow({ where: { email: "sam@first.example" } });
    expect(await changeOwnPassword({ ...sam, role: "SALES" }, "sam-chose-again-3", "sam-chose-fourth-4")).toEqual({ ok: true });
    // Issued in the same whole second as the change (sessionsValidFrom counts whole seconds).
    const sameSecond = { uid: sam.id, sid: outcome.sessionId, iat: Math.floor(Date.now() / 1000) };
    expect(await loadSessionUser(prisma, sameSecond)).toBeNull();

    const again = await authenticate(prisma, createSignInLimiter(prisma), { email: "sam@first.example", password: "sam-chose-fourth-4" }, { address: "127.0.0.1", userAgent: null });
    if (again.kind !== "ok") throw new Error(`sign-in ${again.kind}`);
    const ada = await prisma.user.findUniqueOrThrow({ where: { email: "ada@first.example" } });
    expect(await setUserPassword({ id: ada.id, organizationId: ada.organizationId, role: "ADMIN" }, sam.id, "admin-reset-pw-5")).toEqual({ ok: true });
    expect(await loadSessionUser(prisma, { uid: sam.id, sid: again.sessionId, iat: Math.floor(Date.now() / 1000) })).toBeNull();
  });
});
