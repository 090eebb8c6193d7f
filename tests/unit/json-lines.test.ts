// The start-up scripts' JSON lines (scripts/lib/json-lines.mjs): a real child process writing what
// `next start` and the Prisma CLI write (a banner, colors, a warning, an error with its stack and
// fields, our own JSON lines) comes out as one JSON object per line, each stack trace whole in one.
import { spawn } from "node:child_process";
import { describe, expect, it } from "vitest";
import { createLineWrapper, pipeChildAsJson, wantsJsonLogs } from "../../scripts/lib/json-lines.mjs";

const CHILD = `
const err = new Error("boom");
process.stdout.write("\\x1b[1m\\x1b[35m▲ Next.js 16.4.6\\x1b[0m\\n   - Local:        http://localhost:3000\\n\\n ✓ Ready in 312ms\\n");
process.stdout.write(JSON.stringify({ level: "info", time: "2026-01-01T00:00:00.000Z", msg: "ours", requestId: "r1" }) + "\\n");
console.error(" ⚠ a warning");
console.error(" ⨯", err, { digest: "123" });
console.error(" ⨯ Error [DatabaseUnreachableError]: database unreachable\\n    at d (chunk.js:1:2)\\n  [cause]: Error: \\nInvalid \\u0060prisma.user.count()\\u0060 invocation:\\n\\n\\nCan't reach database server at 127.0.0.1:9\\n      at async d (chunk.js:1:3) {\\n  digest: 'x'\\n}");
console.error(" ⚠ after the error");
process.stdout.write("no newline at the end");
`;

function runChild(opts: { dropRequestErrors?: boolean } = {}): Promise<{ stdout: string[]; stderr: string[] }> {
  const child = spawn(process.execPath, ["-e", CHILD], { stdio: ["ignore", "pipe", "pipe"] });
  const stdout: string[] = [];
  const stderr: string[] = [];
  for (const [name, sink] of [["stdout", stdout], ["stderr", stderr]] as const) {
    const wrapper = createLineWrapper({ source: "next", stream: name, out: { write: (s: string) => sink.push(s) }, ...opts });
    child[name].on("data", (c: Buffer) => wrapper.push(c));
    child[name].on("end", () => wrapper.end());
  }
  return new Promise((resolve) => child.on("close", () => resolve({ stdout: stdout.join("").split("\n").filter(Boolean), stderr: stderr.join("").split("\n").filter(Boolean) })));
}

describe("foreign output as JSON lines", () => {
  it("every line one JSON object; banner lines info, ⚠ warn, the stack trace one error record; our lines unchanged", async () => {
    const { stdout, stderr } = await runChild();
    const out = stdout.map((l) => JSON.parse(l));
    const err = stderr.map((l) => JSON.parse(l));
    expect(out.map((l) => l.msg)).toEqual([
      "▲ Next.js 16.4.6",
      "- Local:        http://localhost:3000",
      "✓ Ready in 312ms",
      "ours",
      "no newline at the end",
    ]);
    expect(out[0]).toMatchObject({ level: "info", source: "next", pid: process.pid });
    expect(new Date(out[0].time).toISOString()).toBe(out[0].time);
    expect(out[3]).toEqual({ level: "info", time: "2026-01-01T00:00:00.000Z", msg: "ours", requestId: "r1" });
    expect(err).toHaveLength(4);
    expect(err[0]).toMatchObject({ level: "warn", msg: "⚠ a warning", source: "next" });
    expect(err[1]).toMatchObject({ level: "error", source: "next" });
    expect(err[1].msg).toMatch(/^⨯ Error: boom\n\s+at /);
    expect(err[1].msg).toContain("digest: '123'");
    // A multi-line cause (Prisma's) stays in its error's record, up to the next line of Next's own.
    expect(err[2]).toMatchObject({ level: "error", source: "next" });
    expect(err[2].msg).toMatch(/^⨯ Error \[DatabaseUnreachableError\][\s\S]*Invalid `prisma\.user\.count\(\)` invocation:\nCan't reach database server[\s\S]*digest: 'x'\n}$/);
    expect(err[3]).toMatchObject({ level: "warn", msg: "⚠ after the error" });
  });

  it("with dropRequestErrors (start.mjs's `next start`), Next's copies of request errors (⨯ … digest) are left out, the rest kept (walkthrough 6b, point 4)", async () => {
    const { stdout, stderr } = await runChild({ dropRequestErrors: true });
    expect(stdout).toHaveLength(5);
    expect(stderr.map((l) => JSON.parse(l).msg)).toEqual(["⚠ a warning", "⚠ after the error"]);
  });

  it("pipeChildAsJson is what start.mjs uses; LOG_FORMAT decides, production defaults to JSON", () => {
    expect(typeof pipeChildAsJson).toBe("function");
    expect(wantsJsonLogs({ LOG_FORMAT: "json" })).toBe(true);
    expect(wantsJsonLogs({ NODE_ENV: "production" })).toBe(true);
    expect(wantsJsonLogs({ NODE_ENV: "production", LOG_FORMAT: "pretty" })).toBe(false);
    expect(wantsJsonLogs({})).toBe(false);
  });
});
