// Where to go after signing in: only a path of this site, never another host (open redirect).
const BASE = "http://portal.invalid";

export function safeCallbackPath(raw: string | string[] | undefined): string {
  if (typeof raw !== "string" || !raw.startsWith("/") || /[\\\x00-\x1f]/.test(raw)) return "/";
  try {
    const url = new URL(raw, BASE);
    return url.origin === BASE ? url.pathname + url.search + url.hash : "/";
  } catch {
    return "/";
  }
}
