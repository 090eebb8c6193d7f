// Encryption of stored service credentials at rest: AES-256-GCM with a per-install key.
// No "server-only" import because the worker scripts load it through tsx; never import it from a
// client component.
import { chmodSync, existsSync, linkSync, mkdirSync, readFileSync, unlinkSync, writeFileSync } from "node:fs";
import path from "node:path";
import { createCipheriv, createDecipheriv, randomBytes } from "node:crypto";

const VERSION = "v1";
const ALGORITHM = "aes-256-gcm";
const IV_BYTES = 12;
const TAG_BYTES = 16;
export const KEY_BYTES = 32;
export const KEY_FILE_NAME = "credentials.key";

export class SecretDecryptionError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = "SecretDecryptionError";
  }
}

function assertKey(key: Buffer): void {
  if (!Buffer.isBuffer(key) || key.length !== KEY_BYTES) {
    throw new Error(`Encryption key must be ${KEY_BYTES} bytes, got ${Buffer.isBuffer(key) ? key.length : typeof key}`);
  }
}

/** Encrypts `plain` into `v1:<iv b64>:<tag b64>:<ciphertext b64>` with a fresh random IV. */
export function encryptSecret(plain: string, key: Buffer): string {
  assertKey(key);
  const iv = randomBytes(IV_BYTES);
  const cipher = createCipheriv(ALGORITHM, key, iv);
  const ciphertext = Buffer.concat([cipher.update(plain, "utf8"), cipher.final()]);
  const tag = cipher.getAuthTag();
  return [VERSION, iv.toString("base64"), tag.toString("base64"), ciphertext.toString("base64")].join(":");
}

/** Decrypts a token from encryptSecret; throws SecretDecryptionError on a malformed token, tampering or a wrong key. */
export function decryptSecret(token: string, key: Buffer): string {
  assertKey(key);
  const parts = typeof token === "string" ? token.split(":") : [];
  if (parts.length !== 4 || parts[0] !== VERSION) {
    throw new SecretDecryptionError(`Not an encrypted secret (expected "${VERSION}:iv:tag:ciphertext")`);
  }
  const [, ivB64, tagB64, ctB64] = parts;
  const iv = Buffer.from(ivB64, "base64");
  const tag = Buffer.from(tagB64, "base64");
  const ciphertext = Buffer.from(ctB64, "base64");
  if (iv.length !== IV_BYTES || tag.length !== TAG_BYTES) {
    throw new SecretDecryptionError("Encrypted secret is malformed (bad IV or tag length)");
  }
  try {
    const decipher = createDecipheriv(ALGORITHM, key, iv);
    decipher.setAuthTag(tag);
    return Buffer.concat([decipher.update(ciphertext), decipher.final()]).toString("utf8");
  } catch (cause) {
    throw new SecretDecryptionError(
      "Cannot decrypt secret: it was tampered with or encrypted with a different key",
      { cause },
    );
  }
}

/**
 * The credentials key: `envHex` (64 hex chars) wins; otherwise `<dataDir>/credentials.key`,
 * created with mode 0600 on first use. Losing the file means re-entering the stored passwords.
 */
export function loadOrCreateKey(dataDir: string, envHex?: string): Buffer {
  const fromEnv = envHex?.trim();
  if (fromEnv) {
    if (!/^[0-9a-fA-F]{64}$/.test(fromEnv)) {
      throw new Error("The credentials key from the environment must be exactly 64 hex characters (32 bytes)");
    }
    return Buffer.from(fromEnv, "hex");
  }

  const file = path.join(dataDir, KEY_FILE_NAME);
  mkdirSync(dataDir, { recursive: true });
  if (!existsSync(file)) {
    // Written in full to a private temp file ("wx": never reuse one), then hard-linked into place:
    // link() fails if the key exists, so two processes starting at once agree on one complete key.
    const temp = `${file}.${process.pid}.${randomBytes(6).toString("hex")}.tmp`;
    writeFileSync(temp, randomBytes(KEY_BYTES).toString("hex") + "\n", { mode: 0o600, flag: "wx" });
    try {
      linkSync(temp, file);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
    } finally {
      unlinkSync(temp);
    }
  }
  // The umask may have narrowed or (on odd setups) the file may predate us: enforce 0600.
  chmodSync(file, 0o600);
  const hex = readFileSync(file, "utf8").trim();
  if (!/^[0-9a-fA-F]{64}$/.test(hex)) {
    throw new Error(`${file} does not hold a 64-hex-character key; restore it from backup or remove it`);
  }
  return Buffer.from(hex, "hex");
}
