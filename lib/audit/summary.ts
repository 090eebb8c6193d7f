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

/** Longest file name an audit summary quotes. */
const MAX_FILE_NAME_CHARS = 80;

/**
 * A user-supplied name (an uploaded file's) fit for a one-line summary: control and format
 * characters (line breaks, bidi overrides) become spaces, runs of space collapse, cut to `max`
 * characters with an ellipsis.
 */
export function cleanAuditText(text: string, max = MAX_FILE_NAME_CHARS): string {
  const clean = text
    .replace(/[\p{Cc}\p{Cf}\u2028\u2029]/gu, " ")
    .replace(/\s+/g, " ")
    .trim();
  return clean.length > max ? `${clean.slice(0, max - 1)}…` : clean;
}

/** Most customers an import summary names before "and N more". */
const MAX_NAMED_CUSTOMERS = 5;

/**
 * A paste or file import as the audit log shows it, e.g. `Into “Bäckerei Müller”: 39 added, 0 moved,
 * 0 skipped` or `File “phones.csv” into “A”, “B”: …`. `customers`: names of the customers the
 * phones went to (at most 5 named, then "and N more"); `fileName` only for file imports.
 */
export function describeImportAdd(input: {
  fileName?: string | null;
  customers: string[];
  created: number;
  moved: number;
  skipped: number;
}): string {
  const named = input.customers.slice(0, MAX_NAMED_CUSTOMERS).map((n) => show(n));
  const more =
    input.customers.length > MAX_NAMED_CUSTOMERS ? ` and ${input.customers.length - MAX_NAMED_CUSTOMERS} more` : "";
  const where = named.length ? `into ${named.join(", ")}${more}` : "into no customer";
  const file = input.fileName != null ? `File ${show(cleanAuditText(input.fileName) || "(no name)")} ` : "";
  const head = file ? `${file}${where}` : `${where[0].toUpperCase()}${where.slice(1)}`;
  return `${head}: ${input.created} added, ${input.moved} moved, ${input.skipped} skipped`;
}

/** Most MACs a bulk action's audit row names before "and N more" (the summary is cut at 500 characters). */
export const MAX_AUDIT_MACS = 20;

/**
 * The MACs a bulk action acted on, as its audit row lists them: `000413A1C0DE, 000413A1C0DF` and,
 * when `total` (default: all of `macs`) is more than the MAX_AUDIT_MACS named, ` and N more`.
 * Empty string for none.
 */
export function describeAuditMacs(macs: string[], total = macs.length): string {
  const named = macs.slice(0, MAX_AUDIT_MACS);
  return total > named.length ? `${named.join(", ")} and ${total - named.length} more` : named.join(", ");
}

/**
 * Where an audit row's target opens in the portal, or null (deleted targets, sign-ins): customers
 * and phones by id, re-point runs on the re-point page, other reconcile runs, users and profiles on
 * their pages.
 */
export function auditTargetHref(action: string, targetType: string, targetId: string | null): string | null {
  if (action.endsWith(".delete")) return null;
  if (targetType === "customer" && targetId) return `/customers/${encodeURIComponent(targetId)}`;
  if (targetType === "phone" && targetId) return `/phones/${encodeURIComponent(targetId)}`;
  if (targetType === "reconcile" && targetId && action.startsWith("reconcile.repoint"))
    return `/reconcile/repoint?run=${encodeURIComponent(targetId)}`;
  if (targetType === "reconcile") return "/reconcile";
  if (targetType === "profile" && targetId) return "/settings/provisioning";
  return null;
}
