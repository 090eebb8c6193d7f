// Runs in front of every request (Next 16's name for middleware): security headers with a fresh
// CSP nonce on every response, and short plain-text 4xx answers for requests that are malformed
// before any page, action or route sees them. Auth stays in the pages, actions and routes
// (requireUser/requirePermission); this only rejects what no handler could answer correctly.
import { NextResponse, type NextRequest } from "next/server";
import { env } from "@/lib/env";
import { MAX_BODY_BYTES, MAX_FORM_FIELDS, MAX_JSON_DEPTH } from "@/lib/http/limits";
import { contentSecurityPolicy, createNonce, staticSecurityHeaders } from "@/lib/http/security-headers";
import { REQUEST_ID_HEADER, requestIdFrom } from "@/lib/http/request-id";

const PAGE_METHODS = ["GET", "HEAD", "POST"];
/** What browsers send to a server action: Next's fetch (text/plain or multipart) or a plain form. */
const ACTION_CONTENT_TYPES = ["multipart/form-data", "application/x-www-form-urlencoded", "text/plain"];
const ACTION_ID = /^[0-9a-f]{2,128}$/i;

/**
 * Whether the browser reached us over https: `next start` speaks plain http, so only a reverse
 * proxy's X-Forwarded-Proto can say so, and only one we trust (TRUST_PROXY=1). Not nextUrl's
 * protocol: Next derives it from that same header, which any client can send.
 */
function isHttpsRequest(request: NextRequest): boolean {
  if (!env.TRUST_PROXY) return false;
  return request.headers.get("x-forwarded-proto")?.split(",")[0]?.trim().toLowerCase() === "https";
}

function withSecurityHeaders(response: NextResponse, csp: string, isHttps: boolean): NextResponse {
  response.headers.set("Content-Security-Policy", csp);
  for (const [name, value] of Object.entries(staticSecurityHeaders(isHttps))) response.headers.set(name, value);
  return response;
}

function reject(status: number, message: string, extra: Record<string, string> = {}): NextResponse {
  return new NextResponse(`${message}\n`, {
    status,
    headers: { "Content-Type": "text/plain; charset=utf-8", "Cache-Control": "no-store", ...extra },
  });
}

/** The host the browser addressed, as Next's own server-action origin check sees it. */
function requestHost(request: NextRequest): string | null {
  return request.headers.get("x-forwarded-host")?.split(",")[0]?.trim() || request.headers.get("host");
}

function isSameOrigin(origin: string | null, host: string | null): boolean {
  if (!origin || origin === "null" || !host) return false;
  try {
    return new URL(origin).host.toLowerCase() === host.toLowerCase();
  } catch {
    return false;
  }
}

/** Why this request must not reach Next, as a response; null when it may. */
function rejection(request: NextRequest): NextResponse | null {
  const { method } = request;
  const { pathname: rawPath, search } = new URL(request.url);
  try {
    decodeURIComponent(rawPath);
  } catch {
    return reject(400, "Bad request: the address has an invalid percent-encoding.");
  }
  // No text column can hold U+0000 (PostgreSQL refuses it in any string, even in a lookup), and no
  // address of ours has one: refuse it here rather than as a 500 from the database.
  if (/%00|\u0000/i.test(rawPath) || /%00|\u0000/i.test(search)) {
    return reject(400, "Bad request: the address contains a NUL character (%00).");
  }
  const isApi = rawPath === "/api" || rawPath.startsWith("/api/");
  if (!isApi && !PAGE_METHODS.includes(method)) {
    return reject(405, `Method ${method} is not allowed here.`, { Allow: PAGE_METHODS.join(", ") });
  }
  if (method === "GET" || method === "HEAD" || method === "OPTIONS") return null;

  // A body Next would cut at its proxy buffer: refuse it whole instead, before it is read.
  const length = request.headers.get("content-length") ?? (request.headers.has("transfer-encoding") ? null : "0");
  if (length === null) return reject(411, "A request body needs a Content-Length.");
  if (!/^\d+$/.test(length)) return reject(400, "Bad request: invalid Content-Length.");
  if (Number(length) > MAX_BODY_BYTES) {
    return reject(413, `The request is too large (at most ${MAX_BODY_BYTES / 1024 / 1024} MB).`);
  }
  if (isApi) return null;

  // Any other POST is a server action (Next-Action header, or a no-JS form with its id inside).
  if (!isSameOrigin(request.headers.get("origin"), requestHost(request))) {
    return reject(403, "Forbidden: this form was sent from another site.");
  }
  const contentType = (request.headers.get("content-type") ?? "").split(";")[0].trim().toLowerCase();
  if (!ACTION_CONTENT_TYPES.includes(contentType)) {
    return reject(415, "Unsupported content type for a form submission.");
  }
  if (contentType === "multipart/form-data" && !/;\s*boundary=/i.test(request.headers.get("content-type") ?? "")) {
    return reject(400, "Bad request: multipart body without a boundary.");
  }
  const actionId = request.headers.get("next-action");
  if (actionId !== null && !ACTION_ID.test(actionId)) return reject(400, "Bad request: unknown action.");
  return null;
}

/** How deep `[` and `{` nest in JSON text (outside strings); React's decoder recurses that deep. */
function jsonDepth(text: string): number {
  let depth = 0;
  let max = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (inString) {
      if (c === "\\") i++;
      else if (c === '"') inString = false;
    } else if (c === '"') inString = true;
    else if (c === "[" || c === "{") max = Math.max(max, ++depth);
    else if (c === "]" || c === "}") depth--;
  }
  return max;
}

/** React's reply root: a JSON array of the action's arguments, nested no deeper than MAX_JSON_DEPTH. */
function isArgumentList(text: string): boolean {
  if (jsonDepth(text) > MAX_JSON_DEPTH) return false;
  try {
    return Array.isArray(JSON.parse(text));
  } catch {
    return false;
  }
}

/**
 * Whether every part header of a multipart body is free of control characters: the platform's
 * FormData parser accepts a NUL in a file name, busboy (which Next uses) throws on it (a 500).
 */
function hasCleanPartHeaders(body: Buffer, boundary: string): boolean {
  const text = body.toString("latin1");
  for (const part of text.split(`--${boundary}`).slice(1)) {
    const end = part.indexOf("\r\n\r\n");
    if (end < 0) continue;
    for (const line of part.slice(0, end).split("\r\n")) {
      if (/[\x00-\x08\x0a-\x1f\x7f]/.test(line)) return false;
    }
  }
  return true;
}

/**
 * A server-action body Next's decoder would throw on (a 500) or that floods it: it must parse as
 * what its content type says, hold at most MAX_FORM_FIELDS fields, and a fetch-style call
 * (Next-Action header) must carry React's reply root (the text body, or multipart field `0`).
 * Reads the body Next has already buffered for the proxy (at most MAX_BODY_BYTES, checked before).
 */
async function actionBodyRejection(request: NextRequest): Promise<NextResponse | null> {
  const fullType = request.headers.get("content-type") ?? "";
  const contentType = fullType.split(";")[0].trim().toLowerCase();
  const isFetchCall = request.headers.has("next-action");
  const invalid = () => reject(400, "Bad request: the form data could not be read.");
  const tooMany = () => reject(413, `Too many form fields (at most ${MAX_FORM_FIELDS}).`);
  if (contentType === "text/plain") {
    return isFetchCall && !isArgumentList(await request.text()) ? invalid() : null;
  }
  if (contentType === "application/x-www-form-urlencoded") {
    const text = await request.text();
    return text.split("&").length > MAX_FORM_FIELDS ? tooMany() : null;
  }
  const body = Buffer.from(await request.arrayBuffer());
  const boundary = /;\s*boundary=(?:"([^"]+)"|([^;\s]+))/i.exec(fullType);
  if (!boundary || !hasCleanPartHeaders(body, boundary[1] ?? boundary[2])) return invalid();
  let form: FormData;
  try {
    form = await new Response(body, { headers: { "Content-Type": fullType } }).formData();
  } catch {
    return invalid();
  }
  let count = 0;
  for (const _ of form.keys()) if (++count > MAX_FORM_FIELDS) return tooMany();
  if (isFetchCall) {
    const root = form.get("0");
    if (typeof root !== "string" || !isArgumentList(root)) return invalid();
  }
  return null;
}

/** next-auth's own endpoints take the urlencoded forms its client sends; anything else 415s. */
function authBodyRejection(request: NextRequest): NextResponse | null {
  const contentType = (request.headers.get("content-type") ?? "").split(";")[0].trim().toLowerCase();
  return contentType === "application/x-www-form-urlencoded"
    ? null
    : reject(415, "Unsupported content type: send the sign-in form as application/x-www-form-urlencoded.");
}

/** Request header with the path (and query) the user asked for; read by requireUser. */
const REQUEST_PATH_HEADER = "x-portal-path";

export async function proxy(request: NextRequest): Promise<NextResponse> {
  // Set here on the request (handlers and their log lines read it) and echoed on every response.
  const requestId = requestIdFrom(request.headers.get(REQUEST_ID_HEADER));
  const path = request.nextUrl.pathname;
  if (request.method === "GET" && (path === "/api/health/live" || path === "/api/health/ready")) {
    // Load balancers poll these: no page, no nonce, no body checks; just the id and the static headers.
    const requestHeaders = new Headers(request.headers);
    requestHeaders.set(REQUEST_ID_HEADER, requestId);
    const response = NextResponse.next({ request: { headers: requestHeaders } });
    response.headers.set(REQUEST_ID_HEADER, requestId);
    // JSON only: nothing to allow.
    return withSecurityHeaders(response, "default-src 'none'; frame-ancestors 'none'", isHttpsRequest(request));
  }
  const nonce = createNonce();
  const isHttps = isHttpsRequest(request);
  const csp = contentSecurityPolicy(nonce, { isDev: env.NODE_ENV === "development", isHttps });
  let refused = rejection(request);
  if (!refused && request.method === "POST") {
    if (path.startsWith("/api/auth/")) refused = authBodyRejection(request);
    else if (!path.startsWith("/api/")) refused = await actionBodyRejection(request);
  }
  if (refused) {
    refused.headers.set(REQUEST_ID_HEADER, requestId);
    return withSecurityHeaders(refused, csp, isHttps);
  }

  // Next reads the nonce from the request's CSP header and puts it on its own scripts.
  const requestHeaders = new Headers(request.headers);
  requestHeaders.set("x-nonce", nonce);
  requestHeaders.set("Content-Security-Policy", csp);
  // The page asked for, so a sign-in can bring the user back to it (lib/auth/guards.ts requireUser).
  // Always set here: a client cannot choose it.
  requestHeaders.set(REQUEST_PATH_HEADER, (path + request.nextUrl.search).slice(0, 2000));
  requestHeaders.set(REQUEST_ID_HEADER, requestId);
  const response = NextResponse.next({ request: { headers: requestHeaders } });
  response.headers.set(REQUEST_ID_HEADER, requestId);
  return withSecurityHeaders(response, csp, isHttps);
}
