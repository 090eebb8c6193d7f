/** A session issued before the user's password changed (or was reset) is over. */
export function isSessionStillValid(issuedAtSeconds: number | undefined, validFrom: Date | null): boolean {
  if (!validFrom) return true;
  return issuedAtSeconds !== undefined && issuedAtSeconds >= Math.floor(validFrom.getTime() / 1000);
}

/** A session's row (AuthSession) lets it in only while it belongs to the user, is not revoked and not expired. */
export function isSessionRowOpen(
  row: { userId: string; revokedAt: Date | null; expiresAt: Date } | null,
  userId: string,
  now: Date = new Date(),
): boolean {
  return !!row && row.userId === userId && row.revokedAt === null && row.expiresAt > now;
}
