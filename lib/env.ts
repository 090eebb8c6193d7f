import { z } from "zod";
import { environmentErrorLine } from "./env-line";

// The validated environment. Code reads `env.X`, never `process.env.X`.

const NextAuthSecretSchema = z
  .string()
  .min(32, "NEXTAUTH_SECRET must be at least 32 characters (make one with `openssl rand -base64 32`)")
  .max(512, "NEXTAUTH_SECRET must be at most 512 characters")
  .regex(/^\S+$/, "NEXTAUTH_SECRET must not contain spaces or line breaks");
const PortalSecretKeySchema = z
  .string()
  .regex(/^[0-9a-fA-F]{64}$/, "PORTAL_SECRET_KEY must be 64 hex characters, 32 bytes (make one with `openssl rand -hex 32`)");

/** Whether DATABASE_URL names anything but a SQLite file: a deployment several instances may share. */
export function isSharedDeployment(databaseUrl: string | undefined): boolean {
  return !!databaseUrl && !databaseUrl.startsWith("file:");
}

/**
 * The one sentence that refuses a shared deployment without its shared secrets, or null.
 * Rule (issue 14, point 5): on SQLite the portal generates both secrets into files next to the
 * database; instances on a shared database would each generate their own (sessions signed by one
 * instance rejected by the next; stored passwords unreadable), so there both must come from the
 * environment, the same on every instance and worker.
 */
export function missingSharedSecrets(source: Record<string, string | undefined>): string | null {
  if (!isSharedDeployment(source.DATABASE_URL)) return null;
  const missing = (["NEXTAUTH_SECRET", "PORTAL_SECRET_KEY"] as const).filter((name) => !source[name]?.trim());
  if (missing.length === 0) return null;
  return (
    `DATABASE_URL is not a SQLite file, so every instance and worker must share the same secrets: set ${missing.join(" and ")} ` +
    `(make NEXTAUTH_SECRET with \`openssl rand -base64 32\` and PORTAL_SECRET_KEY with \`openssl rand -hex 32\`, once, and give every instance the same values).`
  );
}

const EnvSchema = z.object({
  NODE_ENV: z.enum(["development", "production", "test"]).default("development"),
  DATABASE_URL: z
    .string()
    .default("file:./data/portal.db")
    .refine((v) => v.startsWith("file:") || /^postgres(ql)?:\/\/[^/]+\/[^/?]+/i.test(v), {
      message:
        "DATABASE_URL must be a SQLite URL such as file:./data/portal.db or a PostgreSQL URL such as postgresql://portal:secret@db.example.net:5432/portal",
    }),
  NEXTAUTH_SECRET: NextAuthSecretSchema.optional(),
  PORTAL_SECRET_KEY: PortalSecretKeySchema.optional(),
  /** One external simulator (`npm run simulator -- --sandbox-accounts`) as every instance's sandbox. */
  SANDBOX_URL: z
    .url({ protocol: /^https?$/, message: "SANDBOX_URL must be an http(s) URL such as http://127.0.0.1:8083/xmlrpc/" })
    .optional(),
  SANDBOX_PORT: z.coerce.number().int().min(0).max(65535).default(0),
  SYNC_WORKER: z.enum(["on", "off"]).default("on"),
  SYNC_CONCURRENCY: z.coerce.number().int().min(1).max(64).default(8),
  /** Shortest wait between checks of a service that stopped answering (circuit open), ms. */
  SYNC_PROBE_MIN_MS: z.coerce.number().int().min(500).max(60_000).default(5_000),
  RDS_TIMEOUT_MS: z.coerce.number().int().min(100).max(120_000).default(15_000),
  RDS_CA_FILE: z.string().optional(),
  // On only when a reverse proxy in front of the portal sets X-Forwarded-For and X-Forwarded-Proto:
  // otherwise any client could name its own address (and slip past the sign-in limits) or claim https.
  // With it, the client address is the proxy's last X-Forwarded-For entry, and https there turns on HSTS.
  TRUST_PROXY: z
    .enum(["0", "1", "off", "on", "false", "true"], {
      message: "TRUST_PROXY must be 1 (a reverse proxy sets X-Forwarded-For/-Proto) or 0",
    })
    .default("0")
    .transform((v) => v === "1" || v === "on" || v === "true"),
  // Custom redirection endpoints on loopback/private/link-local/… addresses are refused unless the
  // operator allows them (a lab simulator, an internal proxy): see lib/redirection/address-guard.ts.
  ALLOW_PRIVATE_ENDPOINTS: z
    .enum(["0", "1", "true", "false", ""], { message: "ALLOW_PRIVATE_ENDPOINTS must be 1 (allow) or 0 (refuse, the default)" })
    .default("0")
    .transform((v) => v === "1" || v === "true"),
  NEXTAUTH_URL: z.url({ message: "NEXTAUTH_URL must be an http(s) URL" }).optional(),
  /** Address phones reach the portal at (provisioning URLs); defaults to NEXTAUTH_URL. */
  PUBLIC_URL: z
    .url({ message: "PUBLIC_URL must be an http(s) URL such as https://portal.example.net" })
    .refine((v) => /^https?:\/\//.test(v), { message: "PUBLIC_URL must start with http:// or https://" })
    .optional(),
  /** Fetches of settings files per minute per organization and source address (429 beyond). */
  PROV_RATE_LIMIT: z.coerce.number().int().min(1).max(1_000_000).default(60),
  /** UDP port of the syslog receiver for phones; 0 = off (the default). */
  SYSLOG_PORT: z.coerce.number().int().min(0).max(65535).default(0),
  SYSLOG_HOST: z.string().default("0.0.0.0"),
  /** Host (and port) phones send syslog to, as written into their settings; defaults to PUBLIC_URL's host. */
  SYSLOG_PUBLIC_HOST: z
    .string()
    .regex(/^[A-Za-z0-9.:[\]-]{1,200}$/, "SYSLOG_PUBLIC_HOST must be host or host:port, e.g. portal.example.net:5514")
    .optional(),
  /** json: one JSON object per line (for a log collector); pretty: one readable line. Default: json in production. */
  LOG_FORMAT: z.enum(["json", "pretty"], { message: "LOG_FORMAT must be json or pretty" }).optional(),
  LOG_LEVEL: z
    .enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"], {
      message: "LOG_LEVEL must be one of fatal, error, warn, info, debug, trace, silent",
    })
    .default("info"),
  /**
   * How long a web server told to stop (SIGTERM/SIGINT) keeps serving pages, with readiness already
   * 503, before it closes: a load balancer's probes see the 503 and move traffic away, and requests
   * in progress finish. 0 closes at once (after the in-process worker's drain). docs/deployment.md.
   */
  SHUTDOWN_DRAIN_MS: z.coerce
    .number({ message: "SHUTDOWN_DRAIN_MS must be a number of milliseconds" })
    .int({ message: "SHUTDOWN_DRAIN_MS must be a whole number of milliseconds" })
    .min(0)
    .max(300_000)
    .default(5_000),
  /** Syslog lines kept per phone (oldest go first). */
  SYSLOG_LINES_PER_PHONE: z.coerce.number().int().min(1).max(10_000).default(200),
});

export type Env = z.infer<typeof EnvSchema>;

/** Raised (before any database is opened) when the environment is unusable; its message is for the operator. */
export class InvalidEnvironmentError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "InvalidEnvironmentError";
  }
}

function parseEnv(): Env {
  const missing = missingSharedSecrets(process.env);
  if (missing) throw new InvalidEnvironmentError(`Invalid environment:\n  ${missing}`);
  const parsed = EnvSchema.safeParse(process.env);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${i.path.join(".")}: ${i.message}`);
    throw new InvalidEnvironmentError(`Invalid environment:\n${lines.join("\n")}`);
  }
  return parsed.data;
}

function loadEnv(): Env {
  try {
    return parseEnv();
  } catch (error) {
    // A script (worker, seed, org:create, start's check) stops with the message alone, not a stack
    // trace; the web server and tests get the error (instrumentation.ts prints it and exits).
    if (error instanceof InvalidEnvironmentError && !process.env.NEXT_RUNTIME && !process.env.VITEST) {
      console.error(environmentErrorLine(error.message));
      process.exit(1);
    }
    throw error;
  }
}

export const env: Env = loadEnv();
