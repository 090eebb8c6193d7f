// Everything a request can reach, read from the source tree: pages (app/**/page.tsx), route
// handlers per exported HTTP method (app/**/route.ts) and server actions (every export of every
// module whose first statement is "use server"). The authorization matrix must have a row for each.
import { existsSync, readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import ts from "typescript";

export const REPO_ROOT = path.resolve(import.meta.dirname, "../..");

const HTTP_METHODS = ["GET", "HEAD", "POST", "PUT", "DELETE", "PATCH", "OPTIONS"] as const;
/** Folders that hold our code (server actions may live anywhere in them, not only under app/). */
const SOURCE_DIRS = ["app", "lib", "components"];
const SKIPPED_DIRS = new Set(["node_modules", "generated", ".next"]);

export type PageEntry = { file: string; pattern: string };
export type RouteEntry = { file: string; pattern: string; method: string };
export type ActionEntry = { file: string; name: string };
export type AppSurface = {
  pages: PageEntry[];
  routes: RouteEntry[];
  actions: ActionEntry[];
  /** `"use server"` inside a function body: an inline action the matrix cannot name. */
  inlineActions: string[];
};

function walk(dir: string): string[] {
  const out: string[] = [];
  if (!existsSync(dir)) return out;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (SKIPPED_DIRS.has(entry.name)) continue;
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) out.push(...walk(full));
    else if (/\.(tsx?|jsx?|mjs)$/.test(entry.name)) out.push(full);
  }
  return out;
}

/** `app/(portal)/customers/[id]/edit/page.tsx` → `/customers/[id]/edit` (route groups and slots vanish). */
export function routePattern(file: string, root = REPO_ROOT): string {
  const segments = path
    .relative(path.join(root, "app"), path.dirname(file))
    .split(path.sep)
    .filter((s) => s !== "" && !/^\(.*\)$/.test(s) && !s.startsWith("@"));
  return "/" + segments.join("/");
}

function parse(file: string): ts.SourceFile {
  return ts.createSourceFile(file, readFileSync(file, "utf8"), ts.ScriptTarget.Latest, true);
}

function hasExportModifier(node: ts.Node): boolean {
  return ts.canHaveModifiers(node) && !!ts.getModifiers(node)?.some((m) => m.kind === ts.SyntaxKind.ExportKeyword);
}

/** Names a module exports at runtime (functions, consts, `export { a as b }`), not types. */
export function exportedNames(source: ts.SourceFile): string[] {
  const names: string[] = [];
  for (const stmt of source.statements) {
    if (ts.isFunctionDeclaration(stmt) && hasExportModifier(stmt)) {
      const isDefault = ts.getModifiers(stmt)?.some((m) => m.kind === ts.SyntaxKind.DefaultKeyword);
      names.push(isDefault ? "default" : (stmt.name?.text ?? "default"));
    } else if (ts.isVariableStatement(stmt) && hasExportModifier(stmt)) {
      for (const decl of stmt.declarationList.declarations) {
        if (ts.isIdentifier(decl.name)) names.push(decl.name.text);
      }
    } else if (ts.isExportDeclaration(stmt) && !stmt.isTypeOnly) {
      if (stmt.exportClause && ts.isNamedExports(stmt.exportClause)) {
        for (const spec of stmt.exportClause.elements) if (!spec.isTypeOnly) names.push(spec.name.text);
      } else {
        names.push(`* from ${(stmt.moduleSpecifier as ts.StringLiteral | undefined)?.text ?? "?"}`);
      }
    } else if (ts.isExportAssignment(stmt)) {
      names.push("default");
    }
  }
  return names;
}

function isUseServer(stmt: ts.Statement | undefined): boolean {
  return (
    !!stmt &&
    ts.isExpressionStatement(stmt) &&
    ts.isStringLiteral(stmt.expression) &&
    stmt.expression.text === "use server"
  );
}

function findInlineUseServer(source: ts.SourceFile): number[] {
  const lines: number[] = [];
  const visit = (node: ts.Node) => {
    if (ts.isBlock(node) && isUseServer(node.statements[0])) {
      lines.push(source.getLineAndCharacterOfPosition(node.statements[0]!.getStart()).line + 1);
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return lines;
}

export function scanAppSurface(root = REPO_ROOT): AppSurface {
  const rel = (file: string) => path.relative(root, file).split(path.sep).join("/");
  const surface: AppSurface = { pages: [], routes: [], actions: [], inlineActions: [] };
  for (const file of walk(path.join(root, "app"))) {
    const base = path.basename(file).replace(/\.(tsx?|jsx?)$/, "");
    if (base === "page") surface.pages.push({ file: rel(file), pattern: routePattern(file, root) });
    if (base === "route") {
      for (const name of exportedNames(parse(file))) {
        if ((HTTP_METHODS as readonly string[]).includes(name)) {
          surface.routes.push({ file: rel(file), pattern: routePattern(file, root), method: name });
        }
      }
    }
  }
  for (const dir of SOURCE_DIRS) {
    for (const file of walk(path.join(root, dir))) {
      const text = readFileSync(file, "utf8");
      if (!text.includes("use server")) continue;
      const source = parse(file);
      if (isUseServer(source.statements[0])) {
        for (const name of exportedNames(source)) surface.actions.push({ file: rel(file), name });
      }
      for (const line of findInlineUseServer(source)) surface.inlineActions.push(`${rel(file)}:${line}`);
    }
  }
  const byKey =
    <T>(key: (t: T) => string) =>
    (a: T, b: T) =>
      key(a).localeCompare(key(b));
  surface.pages.sort(byKey((p) => p.pattern));
  surface.routes.sort(byKey((r) => `${r.pattern} ${r.method}`));
  surface.actions.sort(byKey((a) => `${a.file}#${a.name}`));
  return surface;
}
