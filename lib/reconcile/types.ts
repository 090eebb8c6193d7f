// Shapes shared by the reconcile engine, its pages and tests (pure; safe on client and server).

/**
 * Where one MAC stands between the portal and the organization's account at the service:
 * - in_sync: ours at the service with the URL the portal expects;
 * - drift: ours at the service with another URL;
 * - missing: in the portal, not registered at the service;
 * - orphan: ours at the service, not in the portal;
 * - owned_elsewhere: registered to another account (`ownerCompany` says whose);
 * - error: the service could not tell us (transient, protocol); `error` says why.
 */
export const RECONCILE_CATEGORIES = ["in_sync", "drift", "missing", "orphan", "owned_elsewhere", "error"] as const;
export type ReconcileCategory = (typeof RECONCILE_CATEGORIES)[number];

export const RECONCILE_CATEGORY_LABELS: Record<ReconcileCategory, string> = {
  in_sync: "In sync",
  drift: "Different URL at the service",
  missing: "Missing at the service",
  orphan: "At the service, not in the portal",
  owned_elsewhere: "Owned by another account",
  error: "Could not be checked",
};

/** Import-preview names of the same categories (only MACs the account holds are listed there). */
export const IMPORT_CATEGORY_LABELS: Partial<Record<ReconcileCategory, string>> = {
  orphan: "New to the portal",
  in_sync: "Already here, same URL",
  drift: "Already here, different URL",
  error: "Could not be read",
};

/** The fixes a row offers; each is recorded in the phone's history (SyncEvent) and the audit log. */
export const RECONCILE_FIXES = ["push", "adopt", "deregister", "import"] as const;
export type ReconcileFix = (typeof RECONCILE_FIXES)[number];

export const RECONCILE_FIX_LABELS: Record<ReconcileFix, string> = {
  push: "Push ours",
  adopt: "Adopt theirs",
  deregister: "Deregister",
  import: "Import",
};

/** Which fixes make sense for a category. */
export const FIXES_BY_CATEGORY: Record<ReconcileCategory, ReconcileFix[]> = {
  in_sync: [],
  drift: ["push", "adopt"],
  missing: ["push"],
  orphan: ["import", "deregister"],
  owned_elsewhere: [],
  error: [],
};

export type ReconcileEntry = {
  /** 12 uppercase hex digits. */
  mac: string;
  category: ReconcileCategory;
  /** The portal's phone, when the MAC is in the portal. */
  phoneId: string | null;
  customerName: string | null;
  /** The URL template the portal would register (phone, customer, organization), or null. */
  expectedUrl: string | null;
  /** The URL the service holds ("" = registered without redirection), or null when not ours/unknown. */
  serviceUrl: string | null;
  ownerCompany: string | null;
  /** Why the MAC could not be checked (category "error"). */
  error: string | null;
  /** The fix applied to this row, once applied: "<fix>:<outcome>". */
  fixed: string | null;
};

export type ReconcileRunView = {
  id: string;
  kind: "import" | "reconcile";
  status: "running" | "done" | "failed" | "applied";
  total: number;
  done: number;
  error: string | null;
  startedAt: Date;
  finishedAt: Date | null;
  entries: ReconcileEntry[];
};

export function countByCategory(entries: ReconcileEntry[]): Record<ReconcileCategory, number> {
  const counts = Object.fromEntries(RECONCILE_CATEGORIES.map((c) => [c, 0])) as Record<ReconcileCategory, number>;
  for (const e of entries) counts[e.category]++;
  return counts;
}

/**
 * The redirection service of an organization as a sentence names it, by the settings page's endpoint
 * kinds: `snom's redirection service (SRAPS)`, `the redirection service at rds.example.net` (custom
 * endpoint; `customHost` only when the reader may see it, else no host) or the sandbox
 * (`sandboxLabel`, from describeSandbox, e.g. "Built-in sandbox").
 */
export function redirectionServiceName(kind: string, opts: { customHost?: string | null; sandboxLabel?: string } = {}): string {
  if (kind === "CUSTOM") return opts.customHost ? `the redirection service at ${opts.customHost}` : "the custom redirection endpoint";
  if (kind === "SANDBOX") return `the ${(opts.sandboxLabel ?? "sandbox").toLowerCase()}`;
  return "snom's redirection service (SRAPS)";
}

/**
 * The text a reseller sends to the owner (or snom support) to get a MAC released. Source: issue 12,
 * point 4 (MAC, serial, invoice date, owner company); the invoice date is the reseller's to fill in.
 * `service`: redirectionServiceName of the organization's endpoint (default snom's SRAPS). One line
 * per paragraph: the reader's mail program wraps them.
 */
export function releaseRequestText(input: {
  mac: string;
  serial: string | null;
  ownerCompany: string | null;
  ourCompany: string;
  invoiceDate?: string | null;
  service?: string;
}): string {
  const owner = input.ownerCompany?.trim() || "the current owner";
  const macPretty = input.mac.match(/.{2}/g)?.join(":") ?? input.mac;
  const service = input.service ?? redirectionServiceName("SRAPS");
  return [
    `Subject: Release request for snom phone ${macPretty}`,
    "",
    `Hello ${owner},`,
    "",
    `the snom phone below is registered to your account at ${service}. ` +
      `It has been sold to ${input.ourCompany}, who now provision it. ` +
      "Please deregister (release) it in your account there so that we can register it to ours.",
    "",
    `MAC address:   ${macPretty}`,
    `Serial number: ${input.serial?.trim() || "(please fill in)"}`,
    `Invoice date:  ${input.invoiceDate?.trim() || "(please fill in)"}`,
    `Current owner: ${owner}`,
    "",
    "Thank you,",
    input.ourCompany,
  ].join("\n");
}
