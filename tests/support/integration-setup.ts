// Runs before each integration test file: every file gets its own database, built from the migrations.
import { randomBytes } from "node:crypto";
import { createTestDatabase, onPostgres } from "./test-db";

const { url, dir } = createTestDatabase();
process.env.DATABASE_URL = url;
process.env.PORTAL_TEST_DIR = dir;
// On PostgreSQL the instance's local files (generated keys, the sandbox's address) live here, not next to a database file.
process.env.PORTAL_DATA_DIR = dir;
// The tests' simulators listen on loopback, which the client refuses by default (address-guard.ts).
// Tests of the refusal turn it off per account (`allowPrivateAddresses: false`).
process.env.ALLOW_PRIVATE_ENDPOINTS = "1";
// A shared database (PostgreSQL) takes both secrets from the environment (lib/env.ts refuses to start
// without them); the test processes of one file share them, as a deployment's instances do.
if (onPostgres) {
  process.env.NEXTAUTH_SECRET ??= randomBytes(32).toString("base64");
  process.env.PORTAL_SECRET_KEY ??= randomBytes(32).toString("hex");
}
