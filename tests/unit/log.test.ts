// The JSON logger (lib/log.ts) and request ids (lib/http/request-id.ts): what a line holds, and
// that secrets never reach one.
import { Writable } from "node:stream";
import { describe, expect, it } from "vitest";
import { createLogger, REDACTED, redactSecrets } from "@/lib/log";
import { requestIdFrom } from "@/lib/http/request-id";

function capture() {
  const lines: string[] = [];
  const destination = new Writable({
    write(chunk, _enc, done) {
      lines.push(...chunk.toString("utf8").split("\n").filter(Boolean));
      done();
    },
  });
  return { lines, destination };
}

describe("JSON log lines", () => {
  it("one JSON object per line with time, level, msg, requestId and organizationId", () => {
    const { lines, destination } = capture();
    const log = createLogger({ format: "json", destination });
    log.child({ requestId: "req-1", organizationId: "org_a" }).warn({ mac: "000413AABBCC" }, "phone refused");
    log.info("plain");
    expect(lines).toHaveLength(2);
    const first = JSON.parse(lines[0]);
    expect(first).toMatchObject({
      level: "warn",
      msg: "phone refused",
      requestId: "req-1",
      organizationId: "org_a",
      mac: "000413AABBCC",
    });
    expect(new Date(first.time).toISOString()).toBe(first.time);
    expect(JSON.parse(lines[1])).toMatchObject({ level: "info", msg: "plain" });
  });

  it("never writes passwords, secrets, authorization headers or cookies, at any depth, in fields or bindings", () => {
    const { lines, destination } = capture();
    const log = createLogger({ format: "json", destination });
    const child = log.child({ requestId: "r", sessionToken: "tok-abc" });
    child.error(
      {
        password: "hunter2",
        account: { username: "u", rdsPassword: "pw-1", url: "https://x" },
        headers: { Authorization: "Basic dXNlcjpwdw==", cookie: "next-auth.session-token=abc", "x-request-id": "r" },
        list: [{ NEXTAUTH_SECRET: "s3cr3t-value" }],
        rdsPasswordEnc: "v1:aaa:bbb:ccc",
      },
      "failed",
    );
    const line = lines.join("\n");
    for (const secret of [
      "hunter2",
      "pw-1",
      "dXNlcjpwdw==",
      "session-token=abc",
      "s3cr3t-value",
      "tok-abc",
      "v1:aaa",
    ]) {
      expect(line).not.toContain(secret);
    }
    const parsed = JSON.parse(lines[0]);
    expect(parsed.account).toEqual({ username: "u", rdsPassword: REDACTED, url: "https://x" });
    expect(parsed.headers["x-request-id"]).toBe("r");
  });

  it("redaction is bounded: cycles and deep nesting end in a marker", () => {
    const cyclic: Record<string, unknown> = { a: 1 };
    cyclic.self = cyclic;
    expect(redactSecrets(cyclic)).toEqual({ a: 1, self: "[circular]" });
    let deep: Record<string, unknown> = { secret: "x" };
    for (let i = 0; i < 20; i++) deep = { next: deep };
    expect(JSON.stringify(redactSecrets(deep))).toContain("[too deep]");
  });

  it("LOG_FORMAT=pretty writes one readable line, not JSON, and redacts too", () => {
    const { lines, destination } = capture();
    const log = createLogger({ format: "pretty", destination });
    log.info({ organizationId: "org_a", password: "hunter2" }, "worker started");
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/INFO.*worker started/);
    expect(lines[0]).toContain("org_a");
    expect(lines[0]).not.toContain("hunter2");
    expect(() => JSON.parse(lines[0])).toThrow();
  });
});

describe("request ids", () => {
  it("keeps a sane incoming X-Request-Id", () => {
    expect(requestIdFrom("a1B2.c3_d4-e5")).toBe("a1B2.c3_d4-e5");
    expect(requestIdFrom("x".repeat(128))).toBe("x".repeat(128));
  });

  it("replaces a missing, too long or odd one with a fresh random id", () => {
    const uuid = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
    for (const bad of [null, "", "x".repeat(129), "a b", "id\r\nSet-Cookie: x=1", "<script>", "ä"]) {
      expect(requestIdFrom(bad)).toMatch(uuid);
    }
    expect(requestIdFrom(null)).not.toBe(requestIdFrom(null));
  });
});
