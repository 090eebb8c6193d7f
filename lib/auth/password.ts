import "server-only";
import bcrypt from "bcryptjs";

// bcrypt cost 12 (~250 ms here): slow enough to make guessing expensive, quick enough for a login.
const COST = process.env.NODE_ENV === "test" ? 4 : 12;

export function hashPassword(password: string): Promise<string> {
  return bcrypt.hash(password, COST);
}

export function verifyPassword(password: string, hash: string): Promise<boolean> {
  return bcrypt.compare(password, hash);
}

// Comparing against a real hash when the e-mail is unknown makes a wrong e-mail take as long as a
// wrong password, so response times do not reveal which e-mails exist.
let dummyHash: Promise<string> | undefined;

export async function verifyAgainstDummy(password: string): Promise<false> {
  dummyHash ??= bcrypt.hash("no such user", COST);
  await bcrypt.compare(password, await dummyHash);
  return false;
}
