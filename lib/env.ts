import { z } from "zod";

// The validated environment. Code reads `env.X`, never `process.env.X`.
const EnvSchema = z.object({
  NODE_ENV: z.enum(["development", "production", "test"]).default("development"),
  DATABASE_URL: z
    .string()
    .default("file:./data/portal.db")
    .refine((v) => v.startsWith("file:"), {
      message: "DATABASE_URL must be a SQLite URL such as file:./data/portal.db (PostgreSQL comes with its own issue)",
    }),
  NEXTAUTH_SECRET: z.string().min(32, "NEXTAUTH_SECRET must be at least 32 characters").optional(),
  PORTAL_SECRET_KEY: z
    .string()
    .regex(/^[0-9a-fA-F]{64}$/, "PORTAL_SECRET_KEY must be 64 hex characters (32 bytes)")
    .optional(),
  SANDBOX_URL: z.url({ message: "SANDBOX_URL must be an http(s) URL" }).optional(),
  SANDBOX_PORT: z.coerce.number().int().min(0).max(65535).default(0),
  SYNC_WORKER: z.enum(["on", "off"]).default("on"),
  SYNC_CONCURRENCY: z.coerce.number().int().min(1).max(64).default(8),
  /** Shortest wait between checks of a service that stopped answering (circuit open), ms. */
  SYNC_PROBE_MIN_MS: z.coerce.number().int().min(500).max(60_000).default(5_000),
  RDS_TIMEOUT_MS: z.coerce.number().int().min(100).max(120_000).default(15_000),
  RDS_CA_FILE: z.string().optional(),
});

export type Env = z.infer<typeof EnvSchema>;

function parseEnv(): Env {
  const parsed = EnvSchema.safeParse(process.env);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${i.path.join(".")}: ${i.message}`);
    throw new Error(`Invalid environment:\n${lines.join("\n")}`);
  }
  return parsed.data;
}

export const env: Env = parseEnv();
