// How a call to the redirection service ended, in the words the portal uses everywhere: the phones
// list shows the client's failure message, the phone history rebuilds the same words from what a
// history row keeps (outcome kind, HTTP status, raw excerpt). Pure: shared by the client and pages.
import { cleanServiceText } from "./service-text";

/** Network errors in words a reseller can act on; the code stays in brackets for whoever digs deeper. */
export const NETWORK_WORDS: Record<string, string> = {
  ECONNREFUSED: "Connection refused: nothing answers on that port",
  ECONNRESET: "The connection was closed by the other side",
  EPIPE: "The connection broke while sending",
  ETIMEDOUT: "The connection timed out",
  EHOSTUNREACH: "The host is unreachable from this server",
  ENETUNREACH: "The network is unreachable from this server",
  ENOTFOUND: "Host name not found",
  EAI_AGAIN: "Host name lookup failed (DNS)",
};

/** An http:// endpoint whose port speaks TLS. */
export const ANSWERS_TLS_MESSAGE = "This port answers with TLS: use https://";
/** An https:// endpoint whose port speaks plain HTTP. */
export const ANSWERS_PLAIN_HTTP_MESSAGE = "This port answers plain HTTP, not TLS: use http:// — or check the port";

/** The client's message for a transient HTTP status; history and the phones list say the same. */
export function httpStatusWords(status: number): string {
  return `HTTP ${status} from the service`;
}

/** The client's message for a call that got no complete answer in time. */
export function timeoutWords(timeoutMs: number): string {
  return `Timed out after ${timeoutMs} ms`;
}

/** What a timed-out call keeps as its raw excerpt (client.ts); read back by describeCallOutcome. */
export function timeoutExcerpt(timeoutMs: number): string {
  return `no complete answer within ${timeoutMs} ms`;
}

const KIND_WORDS: Record<string, string> = {
  ok: "OK",
  transient: "service not reachable",
  protocol: "unexpected answer",
  auth_failed: "credentials refused",
  owned_by_other_user: "owned by another account",
  malformed_mac: "MAC refused",
  malformed_url: "URL refused",
  no_such_mac: "not registered",
};

/**
 * An XML-RPC fault in the words every screen uses (phones list, customer page, phone page's last
 * error, history, test connection): "Fault -32500: Simulated server fault", or "Fault -32500" when
 * the fault string is empty. `code` and `message` must already be cleaned service text.
 */
export function faultMessage(code: string | null, message: string): string {
  const head = code ? `Fault ${code}` : "Fault";
  return message ? `${head}: ${message}` : head;
}

/**
 * The outage banner's answer to "Check now" while the service still fails, as a sentence:
 * "Checked just now: the service still does not answer: connection refused: nothing answers on
 * that port." The last error's first letter is lowered unless it starts an acronym ("HTTP 503 …").
 */
export function stillDownWords(lastError: string | null): string {
  const error = lastError?.trim().replace(/[.\s]+$/, "");
  if (!error) return "Checked just now: the service still does not answer.";
  const isAcronym = /^[A-Z]{2}/.test(error);
  const inSentence = isAcronym ? error : error.charAt(0).toLowerCase() + error.slice(1);
  return `Checked just now: the service still does not answer: ${inSentence}.`;
}

/** Longest fault string a history row shows; the whole (bounded) reply stays under "Raw reply". */
export const FAULT_WORDS_MAX = 120;

const XML_ENTITIES: Record<string, string> = { lt: "<", gt: ">", amp: "&", quot: '"', apos: "'" };

function decodeXmlText(text: string): string {
  return text.replace(/&(#x[0-9a-f]+|#\d+|[a-z]+);/gi, (whole, ref: string) => {
    if (ref[0] !== "#") return XML_ENTITIES[ref.toLowerCase()] ?? whole;
    const code = ref[1] === "x" || ref[1] === "X" ? parseInt(ref.slice(2), 16) : Number(ref.slice(1));
    return code <= 0x10ffff ? String.fromCodePoint(code) : whole;
  });
}

/**
 * "Fault -32500: Simulated server fault" from a fault reply's raw excerpt, or null when the excerpt
 * is no XML-RPC fault. The fault string is the service's text: decoded, stripped of control
 * characters and cut short (a cut excerpt may end inside it).
 */
export function faultWords(excerpt: string): string | null {
  if (!/<methodResponse>\s*<fault>/.test(excerpt)) return null;
  const code = /<name>faultCode<\/name>\s*<value>\s*(?:<(?:int|i4)>)?\s*(-?\d{1,12})/.exec(excerpt)?.[1];
  const text = /<name>faultString<\/name>\s*<value>\s*(?:<string>)?([^<]*)/.exec(excerpt)?.[1] ?? "";
  const message = cleanServiceText(decodeXmlText(text), FAULT_WORDS_MAX);
  return faultMessage(code ?? null, message);
}

const TLS_CODE = /\b([A-Z_]*(?:CERT|SELF_SIGNED|UNABLE_TO_|ISSUER|ERR_TLS|ERR_SSL|HOSTNAME_MISMATCH)[A-Z_]*)\b/;

/**
 * One history row's outcome in words: what really happened (an HTTP status from the service, a
 * refused or reset connection, a timeout, a TLS failure...) rather than only its kind, so a 500 is
 * never called "not reachable".
 */
export function describeCallOutcome(e: {
  outcome: string;
  httpStatus: number | null;
  rawExcerpt: string | null;
}): string {
  const excerpt = e.rawExcerpt ?? "";
  const status = e.httpStatus;
  switch (e.outcome) {
    case "transient": {
      if (status) return httpStatusWords(status);
      const timedOut = /^no complete answer within (\d+) ms/.exec(excerpt);
      if (timedOut) return timeoutWords(Number(timedOut[1]));
      const code = /\b(E[A-Z]{3,}|UND_ERR_[A-Z_]+)\b/.exec(excerpt)?.[1];
      if (code && NETWORK_WORDS[code]) return NETWORK_WORDS[code];
      if (/socket hang up/i.test(excerpt)) return NETWORK_WORDS.ECONNRESET;
      return code ? `Network error (${code})` : "Service not reachable";
    }
    case "auth_failed":
      return status === 401 || status === 403
        ? `HTTP ${status}: the service refused the credentials`
        : "Credentials refused";
    case "protocol": {
      const tlsCode = TLS_CODE.exec(excerpt)?.[1];
      if (tlsCode) return `TLS verification failed (${tlsCode})`;
      if (/wrong version number|packet length too long|ssl3_get_record:http request/i.test(excerpt))
        return ANSWERS_PLAIN_HTTP_MESSAGE;
      // Node's TLS messages name no code: "self-signed certificate", "unable to verify the first certificate".
      if (/certificate|self[- ]signed|altnames/i.test(excerpt)) return `TLS verification failed: ${excerpt}`;
      if (status && status >= 300 && status <= 399)
        return `The service redirected the call (HTTP ${status}); redirects are not followed`;
      if (status && status !== 200) return `Unexpected HTTP ${status} from the service`;
      if (excerpt === "not called") return "Not called: the address or URL was refused";
      const fault = faultWords(excerpt);
      if (fault) return fault;
      return "Unexpected answer";
    }
    default: {
      const words = KIND_WORDS[e.outcome] ?? e.outcome.replace(/_/g, " ");
      return words.charAt(0).toUpperCase() + words.slice(1);
    }
  }
}
