// Runs before each integration test file: every file gets its own database, built from the migrations.
import { createTestDatabase } from "./test-db";

const { url, dir } = createTestDatabase();
process.env.DATABASE_URL = url;
process.env.PORTAL_TEST_DIR = dir;
// On PostgreSQL the instance's local files (generated keys, the sandbox's address) live here, not next to a database file.
process.env.PORTAL_DATA_DIR = dir;
// The tests' simulators listen on loopback, which the client refuses by default (address-guard.ts).
// Tests of the refusal turn it off per account (`allowPrivateAddresses: false`).
process.env.ALLOW_PRIVATE_ENDPOINTS = "1";
