// The release step `npm run build` (scripts/build.mjs --always) with the deployment's env file
// loaded (NODE_ENV=production, LOG_FORMAT=json): walkthrough 6b, point 1. A release tree in a
// temporary folder with the real scripts; its node_modules links to this checkout's packages.
import { spawnSync } from "node:child_process";
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";

const ROOT = path.resolve(import.meta.dirname, "../..");

/** A release folder: scripts/ copied, node_modules linking every package of ours except `leaveOut`. */
function releaseTree(leaveOut: string[]): string {
  const dir = mkdtempSync(path.join(tmpdir(), "portal-release-"));
  cpSync(path.join(ROOT, "scripts"), path.join(dir, "scripts"), { recursive: true });
  mkdirSync(path.join(dir, "node_modules", "@tailwindcss"), { recursive: true });
  mkdirSync(path.join(dir, "node_modules", "@types"), { recursive: true });
  for (const name of ["@tailwindcss/postcss", "tailwindcss", "typescript", "@types/react"]) {
    if (!leaveOut.includes(name)) symlinkSync(path.join(ROOT, "node_modules", name), path.join(dir, "node_modules", name));
  }
  return dir;
}

function build(dir: string) {
  const r = spawnSync(process.execPath, ["scripts/build.mjs", "--always"], {
    cwd: dir,
    env: { ...process.env, NODE_ENV: "production", LOG_FORMAT: "json", VITEST: "" },
    encoding: "utf8",
  });
  const lines = `${r.stdout}${r.stderr}`
    .split("\n")
    .filter(Boolean)
    .map((l) => JSON.parse(l) as { level: string; msg: string; source?: string });
  return { code: r.status, lines };
}

describe("npm run build, the release step", () => {
  it("without the development dependencies (plain `npm ci` with NODE_ENV=production): one fatal sentence naming them and `npm ci --include=dev`", () => {
    const dir = releaseTree(["@tailwindcss/postcss", "typescript"]);
    const { code, lines } = build(dir);
    expect(code).toBe(1);
    const fatal = lines.filter((l) => l.level === "fatal");
    expect(fatal).toHaveLength(1);
    expect(fatal[0].msg).toBe(
      "next build needs the development dependencies, and @tailwindcss/postcss, typescript are not installed: run `npm ci --include=dev` (with NODE_ENV=production set, plain `npm ci` leaves them out), then build again.",
    );
  });

  it("a build that fails removes .next, so the next attempt does not fail on a stale cache", () => {
    const dir = releaseTree([]);
    // Standing in for `next build` failing: the program start.mjs runs, exiting 1.
    mkdirSync(path.join(dir, "node_modules", "next", "dist", "bin"), { recursive: true });
    writeFileSync(path.join(dir, "node_modules", "next", "dist", "bin", "next"), 'console.error("Build failed"); process.exit(1);\n');
    mkdirSync(path.join(dir, ".next", "cache"), { recursive: true });
    writeFileSync(path.join(dir, ".next", "cache", "stale"), "x");
    const { code, lines } = build(dir);
    expect(code).toBe(1);
    expect(lines.some((l) => l.source === "next" && l.msg === "Build failed")).toBe(true);
    expect(existsSync(path.join(dir, ".next"))).toBe(false);
    expect(readdirSync(dir)).not.toContain(".next-build.lock");
  });
});
