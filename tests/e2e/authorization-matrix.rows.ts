// The authorization matrix: one row per page, per route handler method and per server action.
// tests/e2e/authorization-matrix.test.ts lists them from the source tree (tests/support/app-surface.ts)
// and fails for any without a row here, then checks every cell against a real `next start`.
//
// Cells, in the order [anonymous, SALES of org A, ADMIN of org A, ADMIN of org B acting on org A's ids]:
//   "allow"  pages/routes: HTTP 200; actions: the action ran (its `proof` holds)
//   "login"  pages: redirect to /login; actions: the form's "session ended" answer (sessionEndedState
//            in lib/actions/action.ts: `data.sessionEnded`, no redirect), nothing written
//   "home"   redirect to / (the login page for someone already signed in)
//   401      JSON/CSV route handlers without a session
//   403      role lacks the permission: pages answer 403 with the section's sentence, actions return
//            PERMISSION_DENIED_MESSAGES[permission]
//   404      unknown or foreign id (or a page that is gone, like /setup once set up)
// Every denied action must leave the whole database as it was; org B's admin must never change a row
// of org A, and no body may contain another organization's data.
//
// Adding a row: copy a line of the same kind. `params` names which of org A's objects fills each
// dynamic segment; an action's `input` builds its form fields from `fx` (fresh objects of org A).
import type { MatrixFixtures } from "./authorization-matrix.fixtures";

export type Outcome = "allow" | "login" | "home" | 401 | 403 | 404;
/** [anonymous, sales of A, admin of A, admin of B on A's ids] */
export type Cells = readonly [Outcome, Outcome, Outcome, Outcome];
export type FixtureObject = "customer" | "phone" | "user";

export type PageRow = { kind: "page"; pattern: string; cells: Cells; params?: Record<string, FixtureObject> };
export type RouteRow = {
  kind: "route";
  /** "METHOD /pattern", e.g. "GET /api/customers/[id]/sync-status". */
  key: string;
  cells: Cells;
  params?: Record<string, FixtureObject>;
  /** A concrete path to call when the pattern alone is not one (catch-all segments, query strings). */
  path?: string;
};
export type ActionProof = "writes" | { contains: string };
export type ActionRow = {
  kind: "action";
  /** "file#export", the file relative to the repository. */
  key: string;
  cells: Cells;
  input: (fx: MatrixFixtures) => Promise<Record<string, string | File>>;
  /** What shows that an allowed call really ran: it wrote to the database, or its answer contains a text. */
  proof: ActionProof;
};
export type MatrixRow = PageRow | RouteRow | ActionRow;

const page = (pattern: string, cells: Cells, params?: PageRow["params"]): PageRow => ({
  kind: "page",
  pattern,
  cells,
  params,
});
const route = (key: string, cells: Cells, extra: Omit<RouteRow, "kind" | "key" | "cells"> = {}): RouteRow => ({
  kind: "route",
  key,
  cells,
  ...extra,
});
const action = (key: string, cells: Cells, proof: ActionProof, input: ActionRow["input"]): ActionRow => ({
  kind: "action",
  key,
  cells,
  proof,
  input,
});

const PW = "matrix-password-123";
const csv = (text: string) => new File([text], "phones.csv", { type: "text/csv" });

// prettier-ignore
export const MATRIX: MatrixRow[] = [
  //    pattern                            anonymous  sales    admin    B on A's ids
  page("/",                               ["login",  "allow", "allow", "allow"]),
  page("/login",                          ["allow",  "home",  "home",  "home"]),
  page("/setup",                          [404,      404,     404,     404]),
  // Only for a user whose password someone else chose (decision 0018); anyone else goes home.
  page("/change-password",                ["login",  "home",  "home",  "home"]),
  page("/customers",                      ["login",  "allow", "allow", "allow"]),
  page("/customers/new",                  ["login",  "allow", "allow", "allow"]),
  page("/customers/[id]",                 ["login",  "allow", "allow", 404], { id: "customer" }),
  page("/customers/[id]/edit",            ["login",  "allow", "allow", 404], { id: "customer" }),
  page("/customers/[id]/import",          ["login",  "allow", "allow", 404], { id: "customer" }),
  page("/import",                         ["login",  "allow", "allow", "allow"]),
  page("/phones",                         ["login",  "allow", "allow", "allow"]),
  page("/phones/[id]",                    ["login",  "allow", "allow", 404], { id: "phone" }),
  page("/phones/[id]/edit",               ["login",  "allow", "allow", 404], { id: "phone" }),
  page("/settings",                       ["login",  "allow", "allow", "allow"]),
  page("/settings/redirection",           ["login",  403,     "allow", "allow"]),
  page("/settings/provisioning",          ["login",  403,     "allow", "allow"]),
  page("/users",                          ["login",  403,     "allow", "allow"]),
  page("/audit",                          ["login",  403,     "allow", "allow"]),
  page("/reconcile",                      ["login",  403,     "allow", "allow"]),
  page("/reconcile/repoint",              ["login",  403,     "allow", "allow"]),

  //     method and pattern                       anonymous sales    admin    B on A's ids
  route("GET /api/auth/[...nextauth]",           ["allow", "allow", "allow", "allow"], { path: "/api/auth/session" }),
  route("POST /api/auth/[...nextauth]",          ["allow", "allow", "allow", "allow"], { path: "/api/auth/_log" }),
  route("GET /api/health",                       ["allow", "allow", "allow", "allow"]),
  // Load balancers' probes: public, status words only (lib/health.ts).
  route("GET /api/health/live",                  ["allow", "allow", "allow", "allow"]),
  route("GET /api/health/ready",                 ["allow", "allow", "allow", "allow"]),
  route("GET /api/customers/[id]/sync-status",   [401,     "allow", "allow", 404], { params: { id: "customer" } }),
  route("GET /api/sync-status",                  [401,     "allow", "allow", "allow"]),
  // The phones list's customer combobox: only the organization's own customers, for any member.
  route("GET /api/customers/choices",            [401,     "allow", "allow", "allow"], { path: "/api/customers/choices?q=a" }),
  // A foreign customer filter matches nothing, like the phones list's filter: an empty CSV.
  route("GET /phones/export",                    [401,     "allow", "allow", "allow"], { path: "/phones/export?customer=:customer" }),
  route("GET /audit/export",                     [401,     403,     "allow", "allow"]),
  // Public by design: phones have no session. Without the organization's unguessable token it is a
  // 404 for everybody, signed in or not (the token, basic credentials and rate limit: decision 0008).
  route("GET /prov/[token]/[file]",              [404,     404,     404,     404], { path: "/prov/not-the-token-of-anyone-000/000413A1FA00.xml" }),

  //      module#export                                                      anonymous sales    admin    B on A's ids
  // Acts on the user's own organization only (no ids): its circuit is closed here, so it says so.
  action("app/(portal)/actions.ts#checkServiceNowAction",                  ["login", "allow", "allow", "allow"], { contains: "answers again" },
    async () => ({})),
  action("app/(portal)/customers/actions.ts#createCustomerAction",         ["login", "allow", "allow", "allow"], "writes",
    async (fx) => ({ name: `New ${fx.uniq()}`, number: `N-${fx.uniq()}` })),
  action("app/(portal)/customers/actions.ts#updateCustomerAction",         ["login", "allow", "allow", 404], "writes",
    async (fx) => ({ id: (await fx.newCustomer()).id, name: `Renamed ${fx.uniq()}`, number: `R-${fx.uniq()}` })),
  action("app/(portal)/customers/actions.ts#deleteCustomerAction",         ["login", "allow", "allow", 404], "writes",
    async (fx) => ({ id: (await fx.newCustomer()).id })),
  action("app/(portal)/customers/actions.ts#syncCustomerAction",           ["login", "allow", "allow", 404], "writes",
    async (fx) => ({ id: (await fx.newPhone()).customerId, scope: "all" })),
  action("app/(portal)/customers/[id]/import/actions.ts#pasteImportAction", ["login", "allow", "allow", 404], { contains: '"digest"' },
    async (fx) => ({ customerId: (await fx.newCustomer()).id, text: fx.newMac(), intent: "check" })),
  action("app/(portal)/import/actions.ts#fileImportAction",                ["login", "allow", "allow", 404], { contains: '"digest"' },
    async (fx) => ({ intent: "check", defaultCustomerId: (await fx.newCustomer()).id, file: csv(`mac\n${fx.newMac()}\n`) })),
  action("app/(portal)/phones/actions.ts#createPhoneAction",               ["login", "allow", "allow", 404], "writes",
    async (fx) => ({ customerId: (await fx.newCustomer()).id, mac: fx.newMac() })),
  action("app/(portal)/phones/actions.ts#updatePhoneAction",               ["login", "allow", "allow", 404], "writes",
    async (fx) => { const p = await fx.newPhone(); return { id: p.id, customerId: p.customerId, label: `Desk ${fx.uniq()}` }; }),
  action("app/(portal)/phones/actions.ts#deletePhoneAction",               ["login", "allow", "allow", 404], "writes",
    async (fx) => ({ id: (await fx.newPhone()).id })),
  action("app/(portal)/phones/actions.ts#retryPhoneAction",                ["login", "allow", "allow", 404], "writes",
    async (fx) => ({ id: (await fx.newPhone()).id })),
  action("app/(portal)/phones/actions.ts#checkRedirectionAction",          ["login", "allow", "allow", 404], "writes",
    async (fx) => ({ id: (await fx.newPhone()).id })),
  action("app/(portal)/settings/actions.ts#updateOrganizationAction",      ["login", 403,     "allow", "allow"], "writes",
    // The default URL as the factory set it: a new one would first ask to confirm its re-registrations.
    async (fx) => ({ name: `Org ${fx.uniq()}`, urlTemplate: "https://prov.example.net/snom/{mac}.xml" })),
  // A wrong current password: the action runs and answers, and nobody's sessions end.
  action("app/(portal)/settings/actions.ts#changePasswordAction",          ["login", "allow", "allow", "allow"], { contains: "The current password is not correct." },
    async () => ({ currentPassword: "not-my-password", newPassword: PW, newPasswordConfirm: PW })),
  action("app/(portal)/settings/redirection/actions.ts#redirectionSettingsAction", ["login", 403, "allow", "allow"], { contains: "Connected:" },
    async () => ({ intent: "test", endpointKind: "SANDBOX" })),
  action("app/(portal)/settings/provisioning/actions.ts#provisioningAddressAction",   ["login", 403, "allow", "allow"], "writes",
    async () => ({ intent: "rotate" })),
  action("app/(portal)/settings/provisioning/actions.ts#provisioningCredentialsAction", ["login", 403, "allow", "allow"], "writes",
    async (fx) => ({ intent: "save", username: `phone-${fx.uniq()}`, password: PW })),
  action("app/(portal)/settings/provisioning/actions.ts#createProfileAction",         ["login", 403, "allow", "allow"], "writes",
    async (fx) => ({ name: `Profile ${fx.uniq()}` })),
  action("app/(portal)/settings/provisioning/actions.ts#updateProfileAction",         ["login", 403, "allow", 404], "writes",
    async (fx) => ({ id: (await fx.newProfile()).id, name: `Renamed ${fx.uniq()}`, perm: "R", language: "Deutsch" })),
  action("app/(portal)/settings/provisioning/actions.ts#deleteProfileAction",         ["login", 403, "allow", 404], "writes",
    async (fx) => ({ id: (await fx.newProfile()).id })),
  action("app/(portal)/settings/provisioning/actions.ts#defaultProfileAction",        ["login", 403, "allow", 404], "writes",
    async (fx) => ({ profileId: (await fx.newProfile()).id })),
  action("app/(portal)/customers/profile-actions.ts#customerProfileAction",           ["login", "allow", "allow", 404], "writes",
    async (fx) => ({ id: (await fx.newCustomer()).id, profileId: (await fx.newProfile()).id })),
  // A phone's settings overrides carry its SIP identity: admins only (decision 0017).
  action("app/(portal)/phones/settings-actions.ts#phoneOverrideAction",               ["login", 403,     "allow", 404], "writes",
    async (fx) => ({ intent: "set", id: (await fx.newPhone()).id, key: "language", value: "Deutsch" })),
  action("app/(portal)/phones/bulk-actions.ts#bulkPhonesAction",                      ["login", "allow", "allow", 404], "writes",
    async (fx) => ({ selection: "checked", operation: "retry", phoneId: (await fx.newPhone()).id })),
  action("app/(portal)/reconcile/actions.ts#startScanAction",                         ["login", 403, "allow", "allow"], "writes",
    async () => ({ kind: "import" })),
  action("app/(portal)/reconcile/actions.ts#reconcileFixAction",                      ["login", 403, "allow", 404], "writes",
    async (fx) => { const run = await fx.newReconcileRun(); return { runId: run.id, fix: "adopt", mac: run.mac }; }),
  action("app/(portal)/reconcile/actions.ts#reconcileScheduleAction",                 ["login", 403, "allow", "allow"], "writes",
    async (fx) => ({ everyHours: String(12 + (Number.parseInt(fx.uniq().slice(-2), 36) % 24)) })),
  // Re-points the whole organization to a fresh URL (org B: its own phones).
  action("app/(portal)/reconcile/actions.ts#repointAction",                           ["login", 403, "allow", "allow"], "writes",
    async (fx) => ({ template: `https://moved-${fx.uniq()}.example.net/{mac}.xml` })),
  action("app/(portal)/reconcile/actions.ts#rollbackRepointAction",                   ["login", 403, "allow", 404], "writes",
    async (fx) => ({ runId: (await fx.newRepointRun()).id })),
  action("app/(portal)/reconcile/actions.ts#recheckOwnerAction",                      ["login", "allow", "allow", 404], "writes",
    async (fx) => ({ id: (await fx.newOwnedPhone()).id })),
  action("app/(portal)/users/actions.ts#createUserAction",                 ["login", 403,     "allow", "allow"], "writes",
    async (fx) => ({ name: "New User", email: `new-${fx.uniq()}@matrix.example`, role: "SALES", password: PW })),
  action("app/(portal)/users/actions.ts#updateUserAccessAction",           ["login", 403,     "allow", 404], "writes",
    async (fx) => ({ id: (await fx.newUser()).id, role: "ADMIN" })),
  action("app/(portal)/users/actions.ts#setUserPasswordAction",            ["login", 403,     "allow", 404], "writes",
    async (fx) => ({ id: (await fx.newUser()).id, password: PW })),
  // Public while no user exists; afterwards gone for everyone.
  action("app/setup/actions.ts#setupAction",                               [404,     404,     404,     404], "writes",
    async (fx) => ({ organizationName: "Takeover", name: "Eve", email: `eve-${fx.uniq()}@matrix.example`, password: PW, passwordConfirm: PW })),
];
