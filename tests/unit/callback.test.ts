import { describe, expect, it } from "vitest";
import { safeCallbackPath } from "@/lib/auth/callback";

describe("safeCallbackPath", () => {
  it.each([
    ["/customers", "/customers"],
    ["/phones?status=failed&page=2", "/phones?status=failed&page=2"],
    ["/customers/abc#phones", "/customers/abc#phones"],
  ])("keeps the same-site path %s", (raw, expected) => {
    expect(safeCallbackPath(raw)).toBe(expected);
  });

  it.each([
    undefined,
    "",
    "https://evil.example/",
    "//evil.example",
    "/\\evil.example",
    "/\\/evil.example",
    "/\t/evil.example",
    "\\\\evil.example",
    "javascript:alert(1)",
    ["/a", "/b"],
  ])("sends %j home instead of elsewhere", (raw) => {
    expect(safeCallbackPath(raw as string | string[] | undefined)).toBe("/");
  });
});
