// Runs before each integration test file: every file gets its own database, built from the migrations.
import { createTestDatabase } from "./test-db";

const { url, dir } = createTestDatabase();
process.env.DATABASE_URL = url;
process.env.PORTAL_TEST_DIR = dir;
