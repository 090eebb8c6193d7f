// A database the portal cannot reach (down, wrong DATABASE_URL password, database missing): pages
// show one plain sentence instead of "something went wrong", and the log line of the request
// (instrumentation.ts onRequestError) tells the operator. Shared by server code (which throws) and
// the error boundaries (which read the digest): no imports, nothing secret.

/** The `digest` of the error a page fails with when the database is unreachable; Next keeps a thrown digest. */
export const DATABASE_UNREACHABLE_DIGEST = "portal-database-unreachable";

/** What the user reads; the operator reads the log line. */
export const DATABASE_UNREACHABLE_SENTENCE = "The database is not reachable; the operator has been told. Try again in a few minutes.";

/**
 * Driver and Prisma messages that mean "no connection to the database", not a query's own fault:
 * refused or timed-out connections, a wrong password, a missing database, an unopenable SQLite file.
 */
const UNREACHABLE =
  /Can't reach database server|ECONNREFUSED|ECONNRESET|ETIMEDOUT|EHOSTUNREACH|ENOTFOUND|Connection terminated|timeout exceeded when trying to connect|password authentication failed|Authentication failed against database|database "[^"]*" does not exist|Database `[^`]*` does not exist|SQLITE_CANTOPEN|unable to open database file|\bP100[0-3]\b/i;

export function isDatabaseUnreachableError(error: unknown): boolean {
  if (!error || typeof error !== "object") return false;
  const e = error as { message?: unknown; code?: unknown; cause?: unknown };
  const text = `${typeof e.message === "string" ? e.message : ""} ${typeof e.code === "string" ? e.code : ""}`;
  if (UNREACHABLE.test(text)) return true;
  return e.cause !== undefined && e.cause !== error && isDatabaseUnreachableError(e.cause);
}

/** Thrown in place of the driver's error so the error page can say what happened (its digest survives to the client). */
export class DatabaseUnreachableError extends Error {
  readonly digest = DATABASE_UNREACHABLE_DIGEST;
  constructor(cause: unknown) {
    super(`database unreachable: ${cause instanceof Error ? cause.message.split("\n").filter(Boolean).at(-1) : String(cause)}`, { cause });
    this.name = "DatabaseUnreachableError";
  }
}

/** Runs a database read; an unreachable database becomes DatabaseUnreachableError, anything else is rethrown as it is. */
export async function readingDatabase<T>(read: () => Promise<T>): Promise<T> {
  try {
    return await read();
  } catch (error) {
    throw isDatabaseUnreachableError(error) ? new DatabaseUnreachableError(error) : error;
  }
}
