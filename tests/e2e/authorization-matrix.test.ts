// The authorization matrix (tests/e2e/authorization-matrix.rows.ts), checked for real against
// `next start` of the production build: pages and route handlers over HTTP, server actions by
// POSTing their `Next-Action` id (from the build's server-reference-manifest.json) with the body
// React encodes for a form, each with a real next-auth session of the acting user.
import { readFileSync } from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createPrisma, type Db } from "../../lib/db-core";
import { PERMISSION_DENIED_MESSAGES } from "../../lib/auth/roles";
import { REPO_ROOT, scanAppSurface } from "../support/app-surface";
import {
  createMatrixFixtures,
  snapshotDatabase,
  type Credentials,
  type MatrixFixtures,
} from "./authorization-matrix.fixtures";
import {
  MATRIX,
  type ActionRow,
  type FixtureObject,
  type Outcome,
  type PageRow,
  type RouteRow,
} from "./authorization-matrix.rows";
import { startPortal, type PortalServer } from "./portal-server";

// React's own reply encoder, the one the browser runs for a form action (the server decodes it).
const { encodeReply } = (await import(
  path.join(REPO_ROOT, "node_modules/next/dist/compiled/react-server-dom-webpack/client.node.js")
)) as { encodeReply: (value: unknown) => Promise<FormData | string> };

const ACTORS = ["anonymous", "sales", "admin", "foreignAdmin"] as const;
type Actor = (typeof ACTORS)[number];
const REDIRECTS = [301, 302, 303, 307, 308];
/** Which object of org A a `[id]` below these folders stands for, when an action is posted to its page. */
const SEGMENT_OBJECTS: Record<string, FixtureObject> = { customers: "customer", phones: "phone", users: "user" };

let portal: PortalServer;
let db: Db;
let fx: MatrixFixtures;
let dbFile: string;
const cookies: Record<Actor, string> = { anonymous: "", sales: "", admin: "", foreignAdmin: "" };

function setCookies(res: Response): string[] {
  return res.headers.getSetCookie().map((c) => c.split(";")[0]!);
}

/** A real session: next-auth's CSRF token, then its credentials callback, as the login form does. */
async function signInOverHttp(baseUrl: string, who: Credentials): Promise<string> {
  const csrf = await fetch(`${baseUrl}/api/auth/csrf`);
  const { csrfToken } = (await csrf.json()) as { csrfToken: string };
  const jar = setCookies(csrf);
  const res = await fetch(`${baseUrl}/api/auth/callback/credentials`, {
    method: "POST",
    redirect: "manual",
    headers: { "Content-Type": "application/x-www-form-urlencoded", Cookie: jar.join("; ") },
    body: new URLSearchParams({ csrfToken, email: who.email, password: who.password, json: "true" }),
  });
  const session = setCookies(res).filter((c) => c.includes("session-token"));
  expect(session, `signing in ${who.email}`).not.toHaveLength(0);
  return session.join("; ");
}

function fillPattern(pattern: string, params: Record<string, FixtureObject> = {}): string {
  return pattern.replace(/\[([^\]]+)\]/g, (_, name: string) => {
    const object = params[name];
    if (!object)
      throw new Error(
        `${pattern}: the row names no object for [${name}] (add params: { ${name}: "customer" | "phone" | "user" })`,
      );
    return fx.objects[object];
  });
}

async function call(actor: Actor, url: string, init: RequestInit = {}) {
  const res = await fetch(`${portal.baseUrl}${url}`, {
    ...init,
    redirect: "manual",
    headers: { ...(init.headers as Record<string, string>), ...(cookies[actor] ? { Cookie: cookies[actor] } : {}) },
  });
  return { res, body: await res.text() };
}

function expectNoForeignData(actor: Actor, body: string, where: string) {
  const foreign =
    actor === "anonymous" ? [...fx.markersA, ...fx.markersB] : actor === "foreignAdmin" ? fx.markersA : fx.markersB;
  for (const marker of foreign) expect(body, `${where}: ${actor} must not see “${marker}”`).not.toContain(marker);
}

function redirectTarget(res: Response): string | null {
  const target =
    res.headers.get("x-action-redirect") ?? (REDIRECTS.includes(res.status) ? res.headers.get("location") : null);
  return target === null ? null : new URL(target.split(";")[0]!, portal.baseUrl).pathname;
}

function expectHttpOutcome(outcome: Outcome, res: Response, body: string, where: string) {
  if (outcome === "allow") expect(res.status, where).toBe(200);
  else if (outcome === "login") expect(redirectTarget(res), `${where} (status ${res.status})`).toBe("/login");
  else if (outcome === "home") expect(redirectTarget(res), `${where} (status ${res.status})`).toBe("/");
  else expect(res.status, where).toBe(outcome);
  if (outcome === 403 && res.headers.get("content-type")?.startsWith("text/html")) {
    // Our forbidden.tsx, which says why, not Next's bare default 403 page.
    expect(body, where).toContain("Ask an admin of your organization if you need this.");
  }
}

type ManifestEntry = { workers: Record<string, unknown>; filename?: string; exportedName?: string };
function readActionManifest(): Map<string, { id: string; worker: string }> {
  const manifest = JSON.parse(
    readFileSync(path.join(REPO_ROOT, ".next/server/server-reference-manifest.json"), "utf8"),
  ) as {
    node: Record<string, ManifestEntry>;
  };
  const byKey = new Map<string, { id: string; worker: string }>();
  for (const [id, entry] of Object.entries(manifest.node)) {
    if (!entry.filename || !entry.exportedName) continue;
    byKey.set(`${entry.filename}#${entry.exportedName}`, { id, worker: Object.keys(entry.workers)[0]! });
  }
  return byKey;
}
let actions: Map<string, { id: string; worker: string }>;

/** `app/(portal)/customers/[id]/page` → `/customers/<org A's customer>`: where the action's form lives. */
function workerPath(worker: string): string {
  const segments = worker
    .replace(/^app\//, "")
    .replace(/\/?page$/, "")
    .split("/")
    .filter((s) => s && !/^\(.*\)$/.test(s));
  return (
    "/" + segments.map((s, i) => (s.startsWith("[") ? fx.objects[SEGMENT_OBJECTS[segments[i - 1]!]!] : s)).join("/")
  );
}

beforeAll(async () => {
  // No worker: the database changes only through the requests under test.
  portal = await startPortal({ SYNC_WORKER: "off" });
  db = createPrisma(portal.databaseUrl);
  dbFile = portal.databaseUrl;
  fx = await createMatrixFixtures(db);
  for (const actor of ["sales", "admin", "foreignAdmin"] as const)
    cookies[actor] = await signInOverHttp(portal.baseUrl, fx[actor]);
  actions = readActionManifest();
});

afterAll(async () => {
  await db?.$disconnect();
  await portal?.stop();
});

describe("the authorization matrix covers the code", () => {
  const surface = scanAppSurface();
  const rows = (kind: string) => MATRIX.filter((r) => r.kind === kind).map((r) => ("pattern" in r ? r.pattern : r.key));

  it("has one row per page, per route handler method and per server action, and no row for code that is gone", () => {
    const code = {
      page: surface.pages.map((p) => p.pattern),
      route: surface.routes.map((r) => `${r.method} ${r.pattern}`),
      action: surface.actions.map((a) => `${a.file}#${a.name}`),
    };
    for (const kind of ["page", "route", "action"] as const) {
      const listed = rows(kind);
      expect(
        code[kind].filter((k) => !listed.includes(k)),
        `${kind}s without a row in authorization-matrix.rows.ts`,
      ).toEqual([]);
      expect(
        listed.filter((k) => !code[kind].includes(k)),
        `rows for ${kind}s that no longer exist`,
      ).toEqual([]);
      expect(new Set(listed).size, `duplicate ${kind} rows`).toBe(listed.length);
    }
    expect(
      surface.inlineActions,
      'inline "use server" functions: move them to an actions.ts module so the matrix can name them',
    ).toEqual([]);
  });

  it("knows every server action of the production build", () => {
    expect([...actions.keys()].filter((k) => !rows("action").includes(k))).toEqual([]);
  });
});

describe("pages", () => {
  for (const row of MATRIX.filter((r): r is PageRow => r.kind === "page")) {
    it(`${row.pattern}: ${row.cells.join(" | ")}`, async () => {
      const url = fillPattern(row.pattern, row.params);
      for (const [i, actor] of ACTORS.entries()) {
        const { res, body } = await call(actor, url);
        expectHttpOutcome(row.cells[i]!, res, body, `GET ${url} as ${actor}`);
        expectNoForeignData(actor, body, `GET ${url}`);
      }
    });
  }
});

describe("route handlers", () => {
  for (const row of MATRIX.filter((r): r is RouteRow => r.kind === "route")) {
    it(`${row.key}: ${row.cells.join(" | ")}`, async () => {
      const [method, pattern] = row.key.split(" ") as [string, string];
      const url = row.path
        ? row.path.replace(/:(customer|phone|user)\b/g, (_, o: FixtureObject) => fx.objects[o])
        : fillPattern(pattern, row.params);
      for (const [i, actor] of ACTORS.entries()) {
        const { res, body } = await call(actor, url, method === "GET" ? {} : { method, body: new URLSearchParams() });
        expectHttpOutcome(row.cells[i]!, res, body, `${method} ${url} as ${actor}`);
        expectNoForeignData(actor, body, `${method} ${url}`);
      }
    });
  }
});

describe("server actions", () => {
  for (const row of MATRIX.filter((r): r is ActionRow => r.kind === "action")) {
    it(`${row.key}: ${row.cells.join(" | ")}`, async () => {
      const ref = actions.get(row.key);
      expect(ref, `${row.key} is not in the build's server-reference-manifest.json`).toBeDefined();
      const url = workerPath(ref!.worker);
      for (const [i, actor] of ACTORS.entries()) {
        const outcome = row.cells[i]!;
        const where = `${row.key} as ${actor} (POST ${url})`;
        const form = new FormData();
        for (const [k, v] of Object.entries(await row.input(fx))) form.append(k, v);
        const before = snapshotDatabase(dbFile);
        const beforeA = snapshotDatabase(dbFile, fx.orgA);
        const { res, body } = await call(actor, url, {
          method: "POST",
          headers: { "Next-Action": ref!.id, Accept: "text/x-component", Origin: portal.baseUrl },
          body: await encodeReply([{}, form]),
        });
        const after = snapshotDatabase(dbFile);
        expect(res.status, `${where}: ${body.slice(0, 300)}`).toBeLessThan(500);
        expectNoForeignData(actor, body, where);
        if (actor === "foreignAdmin")
          expect(snapshotDatabase(dbFile, fx.orgA), `${where} changed org A's rows`).toBe(beforeA);

        if (outcome === "allow") {
          expect(redirectTarget(res), where).not.toBe("/login");
          expect(res.status, where).not.toBe(404);
          expect(body, where).not.toContain('"forbidden":true');
          if (row.proof === "writes") expect(after, `${where} wrote nothing`).not.toBe(before);
          else expect(body, where).toContain(row.proof.contains);
          continue;
        }
        expect(after, `${where} is denied but changed the database`).toBe(before);
        if (outcome === "login") {
          // The form keeps what was typed and says the session ended (lib/actions/action.ts).
          expect(redirectTarget(res), where).toBeNull();
          expect(body, where).toContain('"sessionEnded":true');
        } else if (outcome === 403) {
          expect(body, where).toContain('"forbidden":true');
          const sentences = Object.values(PERMISSION_DENIED_MESSAGES).map((m) => JSON.stringify(m));
          expect(
            sentences.some((m) => body.includes(m)),
            `${where} names no reason: ${body.slice(0, 300)}`,
          ).toBe(true);
        } else if (outcome === 404) expect(res.status, where).toBe(404);
        else throw new Error(`${where}: outcome ${outcome} does not apply to server actions`);
      }
    });
  }
});
