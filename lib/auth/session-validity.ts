/** A session issued before the user's password changed (or was reset) is over. */
export function isSessionStillValid(issuedAtSeconds: number | undefined, validFrom: Date | null): boolean {
  if (!validFrom) return true;
  return issuedAtSeconds !== undefined && issuedAtSeconds >= Math.floor(validFrom.getTime() / 1000);
}
