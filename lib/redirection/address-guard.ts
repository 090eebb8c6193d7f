// Which addresses the portal may call for an organization's redirection endpoint: public unicast
// only, so a custom endpoint cannot make the portal reach its own machine, the operator's private
// network or a cloud metadata service (server-side request forgery). Address classes come from the
// ipaddr.js package's range tables (IANA special-purpose registries), not from tables of our own.
//
// Two checks, both needed: `checkEndpointAddress` at save/test time (a clear message in the form),
// and `guardedLookup` at connect time on every call (the http(s) request's `lookup`), which checks
// every address a name resolves to when the socket is opened, so a name that resolved to a public
// address at save time and to 127.0.0.1 later (DNS rebinding) is still refused.
//
// No "server-only": the worker script loads this through tsx.
import dns from "node:dns";
import type { LookupAddress, LookupAllOptions, LookupOneOptions } from "node:dns";
import ipaddr from "ipaddr.js";

export const ALLOW_PRIVATE_HINT =
  "the portal only calls public addresses unless the operator sets ALLOW_PRIVATE_ENDPOINTS=1";

/** Error code of a connection refused by the guard (`err.code` in the client). */
export const PRIVATE_ADDRESS_CODE = "EPRIVATEADDRESS";

export type AddressVerdict =
  | { public: true; address: string }
  /** `range` is the ipaddr.js range name, `cidr` the block it matched, e.g. "10.0.0.0/8". */
  | { public: false; address: string; range: string; cidr: string | null; message: string };

const RANGE_LABELS: Record<string, string> = {
  private: "a private network",
  uniqueLocal: "a private network (unique local)",
  loopback: "the loopback network (this machine)",
  linkLocal: "a link-local network",
  carrierGradeNat: "a carrier-grade NAT network",
  multicast: "a multicast range",
  broadcast: "the broadcast address",
  unspecified: "the unspecified address",
  reserved: "a reserved or documentation range",
  benchmarking: "a benchmarking range",
  teredo: "a Teredo tunnel range",
  deprecatedSiteLocal: "a deprecated site-local network",
};

/** True for the textual IPv4 forms ipaddr.js accepts (dotted, shortened `127.1`, hex, octal, decimal) and IPv6. */
export function isIpLiteral(host: string): boolean {
  return ipaddr.isValid(stripBrackets(host));
}

/**
 * Classifies one IP address in any textual form: `127.1`, `0x7f000001`, `2130706433`,
 * `017700000001`, `[::1]`, `::ffff:127.0.0.1`, `64:ff9b::a00:1` (NAT64), `2002:c0a8:101::1` (6to4) …
 * IPv4 embedded in IPv6 (mapped, NAT64, 6to4) is judged by the IPv4 address it carries.
 * Only public unicast is public. Throws for text that is not an IP address.
 */
export function classifyAddress(text: string): AddressVerdict {
  const parsed = ipaddr.parse(stripBrackets(text));
  return classifyParsed(parsed, parsed.toString());
}

function classifyParsed(addr: ipaddr.IPv4 | ipaddr.IPv6, shown: string): AddressVerdict {
  if (addr.kind() === "ipv6") {
    const v6 = addr as ipaddr.IPv6;
    const embedded = embeddedIpv4(v6);
    if (embedded) {
      const inner = classifyParsed(embedded, shown);
      return inner.public ? { public: true, address: shown } : inner;
    }
  }
  const range = addr.range();
  if (range === "unicast") return { public: true, address: shown };
  const cidr = matchingBlock(addr, range);
  const label = RANGE_LABELS[range] ?? `a special-purpose range (${range})`;
  return {
    public: false,
    address: shown,
    range,
    cidr,
    message: `This address (${shown}) is in ${label}${cidr ? ` (${cidr})` : ""}; ${ALLOW_PRIVATE_HINT}.`,
  };
}

/** The IPv4 address carried by IPv4-mapped (::ffff:0:0/96), NAT64 (64:ff9b::/96) and 6to4 (2002::/16) addresses. */
function embeddedIpv4(addr: ipaddr.IPv6): ipaddr.IPv4 | null {
  const range = addr.range();
  const p = addr.parts;
  if (range === "ipv4Mapped" || range === "rfc6052" || range === "rfc6145") {
    return new ipaddr.IPv4([p[6] >> 8, p[6] & 0xff, p[7] >> 8, p[7] & 0xff]);
  }
  if (range === "6to4") return new ipaddr.IPv4([p[1] >> 8, p[1] & 0xff, p[2] >> 8, p[2] & 0xff]);
  return null;
}

function matchingBlock(addr: ipaddr.IPv4 | ipaddr.IPv6, range: string): string | null {
  // The library's own range table (not in its typings): name -> [base, prefix length] or a list of them.
  const table = (addr as unknown as { SpecialRanges: unknown }).SpecialRanges as Record<
    string,
    [ipaddr.IPv4 | ipaddr.IPv6, number] | [ipaddr.IPv4 | ipaddr.IPv6, number][]
  >;
  const entry = table[range];
  if (!entry) return null;
  const blocks = (Array.isArray(entry[0]) ? entry : [entry]) as [ipaddr.IPv4 | ipaddr.IPv6, number][];
  for (const [base, bits] of blocks) {
    if (base.kind() === addr.kind() && addr.match(base as never, bits)) return `${base.toString()}/${bits}`;
  }
  return null;
}

function stripBrackets(host: string): string {
  return host.replace(/^\[(.*)\]$/, "$1");
}

/** Names that are this machine whatever DNS says (RFC 6761): refused without a lookup. */
function isLocalhostName(host: string): boolean {
  const h = host.toLowerCase().replace(/\.$/, "");
  return h === "localhost" || h.endsWith(".localhost");
}

/** Longest wait for the save/test-time DNS lookup (ms). */
const LOOKUP_TIMEOUT_MS = 5_000;

export type EndpointCheck = { ok: true } | { ok: false; message: string };

/**
 * Save/test-time check of an endpoint URL: the host (IP literal in any form, `localhost`, or a DNS
 * name, resolved here) must be public unless `allowPrivate`. Resolution failures are not judged
 * here: the connection test reports them in its own words.
 */
export async function checkEndpointAddress(url: string, opts: { allowPrivate: boolean }): Promise<EndpointCheck> {
  if (opts.allowPrivate) return { ok: true };
  let host: string;
  try {
    host = new URL(url).hostname;
  } catch {
    return { ok: false, message: "Enter the endpoint as an http:// or https:// URL." };
  }
  if (isIpLiteral(host)) {
    const verdict = classifyAddress(host);
    return verdict.public ? { ok: true } : { ok: false, message: verdict.message };
  }
  if (isLocalhostName(host)) {
    return { ok: false, message: `“${host}” is this machine (the loopback network); ${ALLOW_PRIVATE_HINT}.` };
  }
  let addresses: LookupAddress[];
  let timer: NodeJS.Timeout | undefined;
  try {
    // getaddrinfo has no timeout of its own; a name that does not resolve in time is left to the
    // connection test (and the connect-time check) to report.
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error("lookup timed out")), LOOKUP_TIMEOUT_MS);
    });
    addresses = await Promise.race([dns.promises.lookup(host, { all: true, verbatim: true }), timeout]);
  } catch {
    return { ok: true };
  } finally {
    clearTimeout(timer);
  }
  for (const a of addresses) {
    const verdict = classifyAddress(a.address);
    if (!verdict.public) return { ok: false, message: `“${host}” resolves to ${a.address}. ${verdict.message}` };
  }
  return { ok: true };
}

type LookupCallback = (err: NodeJS.ErrnoException | null, address: string | LookupAddress[], family?: number) => void;

/**
 * A drop-in `lookup` for http(s).request / net.connect that refuses non-public addresses. It
 * resolves with dns.lookup like Node does, then checks every address before the socket connects.
 */
export function guardedLookup(
  hostname: string,
  options: LookupOneOptions | LookupAllOptions | number,
  callback: LookupCallback,
): void {
  const opts = typeof options === "number" ? { family: options } : options;
  dns.lookup(hostname, { ...opts, all: true }, (err, addresses) => {
    if (err) return callback(err, "", 0);
    for (const a of addresses) {
      const verdict = classifyAddress(a.address);
      if (!verdict.public)
        return callback(refusal(`“${hostname}” resolves to ${a.address}. ${verdict.message}`), "", 0);
    }
    if ((opts as LookupAllOptions).all) return callback(null, addresses);
    const first = addresses[0];
    if (!first) return callback(Object.assign(new Error(`No address for ${hostname}`), { code: "ENOTFOUND" }), "", 0);
    callback(null, first.address, first.family);
  });
}

function refusal(message: string): NodeJS.ErrnoException {
  return Object.assign(new Error(message), { code: PRIVATE_ADDRESS_CODE });
}
