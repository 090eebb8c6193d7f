// Phones fetch their settings file here: GET /prov/<organization token>/<MAC>.xml.
// Public by design (a factory-fresh phone has no session): the unguessable token, the optional HTTP
// basic credentials of the organization and a rate limit stand guard (docs/decisions/0008-provisioning-server.md).
import { prisma } from "@/lib/db";
import { SecretDecryptionError } from "@/lib/crypto";
import { servePhoneSettings } from "@/lib/provisioning/serve";
import { clientAddress } from "@/lib/auth/client-address";
import { env } from "@/lib/env";
import { requestLogger } from "@/lib/log-request";

export const dynamic = "force-dynamic";

const NOT_FOUND = () =>
  new Response("Not found\n", {
    status: 404,
    headers: { "Content-Type": "text/plain; charset=utf-8", "Cache-Control": "no-store" },
  });

export async function GET(request: Request, { params }: { params: Promise<{ token: string; file: string }> }) {
  const { token, file } = await params;
  const started = performance.now();
  let result;
  try {
    result = await servePhoneSettings(prisma, {
      token,
      file,
      // The socket's address, or our own proxy's last X-Forwarded-For entry with TRUST_PROXY=1: a
      // client-sent X-Forwarded-For must not pick the rate-limit key or the syslog match.
      forwardedFor: clientAddress((name) => request.headers.get(name), env.TRUST_PROXY),
      userAgent: request.headers.get("user-agent"),
      authorization: request.headers.get("authorization"),
    });
  } catch (e) {
    // A stored password the credentials key cannot open (key file lost or replaced): no file rather
    // than one without its passwords. The phone retries later; the log says why, without the secret.
    if (!(e instanceof SecretDecryptionError)) throw e;
    (await requestLogger()).error("provisioning: a stored password cannot be decrypted (credentials key changed?)");
    return new Response("Settings temporarily unavailable\n", {
      status: 503,
      headers: { "Retry-After": "300", "Cache-Control": "no-store" },
    });
  }
  // Server-Timing: the time spent answering, for bench:provision (no secret, no identity in it).
  const ms = performance.now() - started;
  const timing = `app;dur=${ms.toFixed(1)}`;
  // One line per fetch, with the request id (never the token: it opens the organization's files).
  (await requestLogger()).info(
    { file: file.slice(0, 40), status: result.status, durationMs: Math.round(ms) },
    `provisioning: ${file.slice(0, 40)} answered ${result.status}`,
  );
  switch (result.status) {
    case 200:
      return new Response(result.body, {
        status: 200,
        headers: {
          "Content-Type": "application/xml; charset=utf-8",
          "Cache-Control": "no-store",
          "Server-Timing": timing,
        },
      });
    case 401:
      return new Response("Authentication required\n", {
        status: 401,
        headers: { "WWW-Authenticate": 'Basic realm="provisioning", charset="UTF-8"', "Cache-Control": "no-store" },
      });
    case 429:
      return new Response("Too many requests\n", {
        status: 429,
        headers: { "Retry-After": String(result.retryAfterSeconds), "Cache-Control": "no-store" },
      });
    default:
      return NOT_FOUND();
  }
}
