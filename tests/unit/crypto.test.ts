import { mkdtempSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { randomBytes } from "node:crypto";
import { describe, expect, it } from "vitest";
import { decryptSecret, encryptSecret, loadOrCreateKey, SecretDecryptionError } from "@/lib/crypto";

const key = randomBytes(32);

describe("encryptSecret / decryptSecret", () => {
  it("round-trips passwords with any characters", () => {
    for (const plain of ["", "sandbox", "p:a@ss%wörd ü€😀", "x".repeat(10_000)]) {
      const token = encryptSecret(plain, key);
      expect(token).toMatch(/^v1:[A-Za-z0-9+/=]+:[A-Za-z0-9+/=]+:[A-Za-z0-9+/=]*$/);
      expect(token).not.toContain(plain || "\u0000");
      expect(decryptSecret(token, key)).toBe(plain);
    }
  });

  it("uses a fresh 12-byte IV every time", () => {
    const a = encryptSecret("same", key);
    const b = encryptSecret("same", key);
    expect(a).not.toBe(b);
    expect(Buffer.from(a.split(":")[1], "base64")).toHaveLength(12);
  });

  it("detects tampering with the ciphertext, tag or IV", () => {
    const [v, iv, tag, ct] = encryptSecret("secret-password", key).split(":");
    const flip = (b64: string) => {
      const buf = Buffer.from(b64, "base64");
      buf[0] ^= 0x01;
      return buf.toString("base64");
    };
    for (const forged of [[v, iv, tag, flip(ct)], [v, iv, flip(tag), ct], [v, flip(iv), tag, ct]]) {
      expect(() => decryptSecret(forged.join(":"), key)).toThrow(SecretDecryptionError);
      expect(() => decryptSecret(forged.join(":"), key)).toThrow(/tampered with or encrypted with a different key/);
    }
  });

  it("refuses a wrong key and malformed tokens with clear errors", () => {
    const token = encryptSecret("secret", key);
    expect(() => decryptSecret(token, randomBytes(32))).toThrow(/different key/);
    expect(() => decryptSecret("plaintext", key)).toThrow(/Not an encrypted secret/);
    expect(() => decryptSecret(token.replace(/^v1/, "v2"), key)).toThrow(/Not an encrypted secret/);
    expect(() => decryptSecret("v1:AAAA:AAAA:AAAA", key)).toThrow(/malformed/);
    expect(() => encryptSecret("x", randomBytes(16))).toThrow(/32 bytes/);
  });
});

describe("loadOrCreateKey", () => {
  it("creates a 0600 key file once and reuses it", () => {
    const dir = mkdtempSync(path.join(tmpdir(), "crypto-key-"));
    const first = loadOrCreateKey(path.join(dir, "data"));
    const file = path.join(dir, "data", "credentials.key");
    expect(first).toHaveLength(32);
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(readFileSync(file, "utf8").trim()).toBe(first.toString("hex"));
    const second = loadOrCreateKey(path.join(dir, "data"));
    expect(second.equals(first)).toBe(true);
    expect(decryptSecret(encryptSecret("pw", first), second)).toBe("pw");
  });

  it("tightens the mode of an existing key file", () => {
    const dir = mkdtempSync(path.join(tmpdir(), "crypto-key-"));
    const hex = randomBytes(32).toString("hex");
    writeFileSync(path.join(dir, "credentials.key"), hex, { mode: 0o644 });
    expect(loadOrCreateKey(dir).toString("hex")).toBe(hex);
    expect(statSync(path.join(dir, "credentials.key")).mode & 0o777).toBe(0o600);
  });

  it("prefers a 64-hex key from the environment and writes no file", () => {
    const dir = mkdtempSync(path.join(tmpdir(), "crypto-key-"));
    const hex = "ab".repeat(32);
    expect(loadOrCreateKey(dir, hex).toString("hex")).toBe(hex);
    expect(() => statSync(path.join(dir, "credentials.key"))).toThrow();
    expect(() => loadOrCreateKey(dir, "abc")).toThrow(/64 hex/);
  });

  it("refuses a corrupt key file", () => {
    const dir = mkdtempSync(path.join(tmpdir(), "crypto-key-"));
    writeFileSync(path.join(dir, "credentials.key"), "not a key");
    expect(() => loadOrCreateKey(dir)).toThrow(/64-hex-character key/);
  });
});
