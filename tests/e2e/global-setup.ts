// Builds the portal once (when the sources changed); each test file then starts its own server
// on its own fresh database (tests/e2e/portal-server.ts).
import { spawnSync } from "node:child_process";
import path from "node:path";

export function setup() {
  const root = path.resolve(import.meta.dirname, "../..");
  const build = spawnSync("node", ["scripts/build.mjs"], { cwd: root, stdio: "inherit" });
  if (build.status !== 0) throw new Error("next build failed");
}
