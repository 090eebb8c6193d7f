// Short "what changed" notes for the audit log. Pure: shared by server actions and tests.

const MAX_VALUE_CHARS = 60;

function show(v: unknown): string {
  if (v === null || v === undefined || v === "") return "–";
  const text = String(v).replace(/\s+/g, " ");
  return `“${text.length > MAX_VALUE_CHARS ? `${text.slice(0, MAX_VALUE_CHARS - 1)}…` : text}”`;
}

/**
 * `name “A” → “B”; notes “–” → “call first”` for the keys of `after` whose value differs from
 * `before` (values cut to 60 characters), or "no changes". Pass only non-secret fields.
 */
export function describeChanges(
  before: Record<string, unknown> | null | undefined,
  after: Record<string, unknown>,
): string {
  const parts: string[] = [];
  for (const [key, value] of Object.entries(after)) {
    const old = before?.[key] ?? null;
    if ((old ?? null) !== (value ?? null)) parts.push(`${key} ${show(old)} → ${show(value)}`);
  }
  return parts.length ? parts.join("; ") : "no changes";
}

/** An endpoint URL without user info, query or fragment (a typed URL could carry credentials). */
export function endpointLabel(url: string | null | undefined): string {
  if (!url) return "";
  try {
    const u = new URL(url);
    return `${u.protocol}//${u.host}${u.pathname}`;
  } catch {
    return "(invalid URL)";
  }
}

/** Endpoint kinds as the redirection settings page names them (the sandbox's name depends on the deployment). */
const ENDPOINT_WORDS: Record<string, string> = { SRAPS: "snom SRAPS", CUSTOM: "Custom URL" };

/**
 * The redirection account as saved or tested, in the settings page's words: service, endpoint and
 * username; never the password. `sandboxLabel` is the sandbox's name in this deployment
 * (describeSandbox in lib/redirection/org-account.ts).
 */
export function describeRedirectionAccount(
  input: {
    endpointKind: string;
    customUrl?: string | null;
    username?: string | null;
    password?: string | null;
  },
  sandboxLabel = "Sandbox",
): string {
  const kind =
    input.endpointKind === "SANDBOX" ? sandboxLabel : (ENDPOINT_WORDS[input.endpointKind] ?? input.endpointKind);
  const endpoint = input.endpointKind === "CUSTOM" ? ` ${endpointLabel(input.customUrl)}` : "";
  const user = input.username ? `, username ${show(input.username)}` : "";
  return `${kind}${endpoint}${user}${input.password ? ", new password" : ""}`;
}
