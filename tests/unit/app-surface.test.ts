// The enumerator behind the authorization matrix: it must find every page, route handler method and
// server action however it is written, or a new one could slip past the matrix.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { scanAppSurface } from "../support/app-surface";

const root = mkdtempSync(path.join(tmpdir(), "app-surface-"));
function write(file: string, text: string) {
  mkdirSync(path.dirname(path.join(root, file)), { recursive: true });
  writeFileSync(path.join(root, file), text);
}

write("app/(portal)/page.tsx", "export default function Page() { return null; }\n");
write("app/(portal)/audit/[id]/page.tsx", "export default async function Page() { return null; }\n");
write("app/@modal/(.)photo/page.tsx", "export default function Page() { return null; }\n");
write(
  "app/(portal)/audit/export/route.ts",
  "export async function GET() { return new Response(); }\nexport const dynamic = 'force-dynamic';\n",
);
write("app/api/auth/[...nextauth]/route.ts", "function handler() {}\nexport { handler as GET, handler as POST };\n");
write("app/api/thing/route.ts", "export const DELETE = async () => new Response();\nexport type Shape = { a: 1 };\n");
write(
  "app/(portal)/audit/actions.ts",
  '"use server";\nexport async function exportAudit() {}\nexport const purgeAudit = async () => {};\nexport type State = {};\nexport { exportAudit as legacyExport };\n',
);
write("lib/actions/sign-out.ts", "'use server'\nexport default async function signOutEverywhere() {}\n");
write("lib/not-an-action.ts", 'export const text = "use server";\n');
write(
  "components/inline.tsx",
  'export function Form() {\n  async function act() {\n    "use server";\n  }\n  return act;\n}\n',
);

afterAll(() => rmSync(root, { recursive: true, force: true }));

describe("scanAppSurface", () => {
  const surface = scanAppSurface(root);

  it("lists pages by route pattern, without route groups or parallel-route slots", () => {
    expect(surface.pages.map((p) => p.pattern)).toEqual(["/", "/(.)photo", "/audit/[id]"]);
  });

  it("lists every exported HTTP method of a route handler, also when re-exported under that name", () => {
    expect(surface.routes.map((r) => `${r.method} ${r.pattern}`)).toEqual([
      "GET /api/auth/[...nextauth]",
      "POST /api/auth/[...nextauth]",
      "DELETE /api/thing",
      "GET /audit/export",
    ]);
  });

  it('lists every runtime export of every "use server" module, wherever it lives, and flags inline actions', () => {
    expect(surface.actions.map((a) => `${a.file}#${a.name}`)).toEqual([
      "app/(portal)/audit/actions.ts#exportAudit",
      "app/(portal)/audit/actions.ts#legacyExport",
      "app/(portal)/audit/actions.ts#purgeAudit",
      "lib/actions/sign-out.ts#default",
    ]);
    expect(surface.inlineActions).toEqual(["components/inline.tsx:3"]);
  });
});
