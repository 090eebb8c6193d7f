import "server-only";
import { randomBytes } from "node:crypto";
import { chmodSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { dataDir } from "./db-core";
import { env } from "./env";

/**
 * Read a secret kept next to the database, creating it (mode 600) on first use so restarts keep
 * sessions and encrypted credentials readable. Never logged, never sent to the browser.
 */
export function loadOrCreateSecretFile(name: string, bytes = 32): string {
  const dir = dataDir(env.DATABASE_URL);
  const file = path.join(dir, name);
  try {
    return readFileSync(file, "utf8").trim();
  } catch {
    mkdirSync(dir, { recursive: true });
    try {
      writeFileSync(file, randomBytes(bytes).toString("hex") + "\n", { mode: 0o600, flag: "wx" });
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== "EEXIST") throw e;
    }
    chmodSync(file, 0o600);
    return readFileSync(file, "utf8").trim();
  }
}

export function sessionSecret(): string {
  return env.NEXTAUTH_SECRET ?? loadOrCreateSecretFile("session.secret");
}
