// Raw HTTP against the portal under test: exact bytes, no browser or fetch normalising them.
import { readFileSync } from "node:fs";
import http from "node:http";
import net from "node:net";
import path from "node:path";

export type RawResponse = { status: number; headers: http.IncomingHttpHeaders; body: string; ms: number };

export type RawRequest = {
  method?: string;
  path: string;
  headers?: Record<string, string | string[]>;
  body?: string | Buffer;
  timeoutMs?: number;
};

/** One request on its own connection; resolves with the status (never hangs past timeoutMs). */
export function rawRequest(baseUrl: string, req: RawRequest): Promise<RawResponse> {
  const url = new URL(baseUrl);
  const started = Date.now();
  return new Promise((resolve, reject) => {
    const r = http.request(
      {
        host: url.hostname,
        port: url.port,
        method: req.method ?? "GET",
        path: req.path,
        headers: req.headers,
        agent: false,
        insecureHTTPParser: true,
        signal: AbortSignal.timeout(req.timeoutMs ?? 30_000),
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on("data", (c: Buffer) => chunks.push(c));
        res.on("end", () =>
          resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString("utf8"), ms: Date.now() - started }),
        );
        res.on("error", reject);
      },
    );
    r.on("error", reject);
    r.end(req.body);
  });
}

/** `name=value` pairs of Set-Cookie headers, merged into one Cookie header value. */
export function mergeCookies(current: string, setCookie: string[] | undefined): string {
  const jar = new Map(current ? current.split("; ").map((c) => c.split("=", 2) as [string, string]) : []);
  for (const line of setCookie ?? []) {
    const [pair] = line.split(";");
    const i = pair.indexOf("=");
    jar.set(pair.slice(0, i), pair.slice(i + 1));
  }
  return [...jar].map(([k, v]) => `${k}=${v}`).join("; ");
}

/** A session cookie from next-auth's credentials sign-in, the way the login form gets one. */
export async function signInRaw(baseUrl: string, email: string, password: string): Promise<string> {
  const csrf = await rawRequest(baseUrl, { path: "/api/auth/csrf" });
  let cookie = mergeCookies("", csrf.headers["set-cookie"]);
  const { csrfToken } = JSON.parse(csrf.body) as { csrfToken: string };
  const res = await rawRequest(baseUrl, {
    method: "POST",
    path: "/api/auth/callback/credentials",
    headers: { "Content-Type": "application/x-www-form-urlencoded", Cookie: cookie },
    body: new URLSearchParams({ csrfToken, email, password, json: "true", callbackUrl: baseUrl }).toString(),
  });
  cookie = mergeCookies(cookie, res.headers["set-cookie"]);
  if (!cookie.includes("session-token")) throw new Error(`sign-in failed: ${res.status} ${res.body}`);
  return cookie;
}

/** Server-action ids of the current build, by exported name (from Next's own manifest). */
export function actionIds(): Record<string, string> {
  const manifest = JSON.parse(
    readFileSync(path.resolve(import.meta.dirname, "../../.next/server/server-reference-manifest.json"), "utf8"),
  ) as { node: Record<string, { exportedName?: string }> };
  return Object.fromEntries(Object.entries(manifest.node).map(([id, v]) => [v.exportedName ?? id, id]));
}

export type FormFields = [string, string | { name: string; type: string; data: Buffer | string }][];

/** A multipart body; file parts are given as { name, type, data }. */
export function multipart(fields: FormFields): { body: Buffer; contentType: string } {
  const boundary = `----hostile${Math.random().toString(16).slice(2)}`;
  const parts: Buffer[] = [];
  for (const [name, value] of fields) {
    if (typeof value === "string") {
      parts.push(Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${name}"\r\n\r\n${value}\r\n`));
    } else {
      parts.push(
        Buffer.from(
          `--${boundary}\r\nContent-Disposition: form-data; name="${name}"; filename="${value.name}"\r\nContent-Type: ${value.type}\r\n\r\n`,
        ),
        Buffer.isBuffer(value.data) ? value.data : Buffer.from(value.data),
        Buffer.from("\r\n"),
      );
    }
  }
  parts.push(Buffer.from(`--${boundary}--\r\n`));
  return { body: Buffer.concat(parts), contentType: `multipart/form-data; boundary=${boundary}` };
}

/**
 * Calls a `(prevState, formData)` server action the way React's client does: POST to the page with
 * the Next-Action header and a multipart reply whose field `0` holds the arguments and whose
 * fields prefixed `_1_` are the FormData (`$K1`), as React 19's reply decoder reads them.
 */
export function callAction(
  baseUrl: string,
  opts: { page: string; actionId: string; cookie: string; fields: FormFields; timeoutMs?: number },
): Promise<RawResponse> {
  // The root goes last, as React's client sends it: Next decodes while the body streams in.
  const { body, contentType } = multipart([
    ...opts.fields.map(([k, v]) => [`_1_${k}`, v] as FormFields[number]),
    ["0", JSON.stringify([{}, "$K1"])],
  ]);
  return rawRequest(baseUrl, {
    method: "POST",
    path: opts.page,
    headers: {
      "Content-Type": contentType,
      "Content-Length": String(body.length),
      "Next-Action": opts.actionId,
      Accept: "text/x-component",
      Origin: baseUrl,
      Cookie: opts.cookie,
    },
    body,
    timeoutMs: opts.timeoutMs,
  });
}

/**
 * The status line of the answer to bytes written on a raw socket: for requests Node refuses while
 * they are still being sent (a 100 KB request line gets 431 and a closed socket, which node:http
 * reports only as ECONNRESET).
 */
export function rawSocketStatus(baseUrl: string, request: string, timeoutMs = 30_000): Promise<number> {
  const url = new URL(baseUrl);
  return new Promise((resolve, reject) => {
    const socket = net.connect(Number(url.port), url.hostname);
    let text = "";
    const done = () => {
      const status = /^HTTP\/1\.1 (\d{3})/.exec(text)?.[1];
      if (status) resolve(Number(status));
      else reject(new Error(`no status line; got ${JSON.stringify(text.slice(0, 100))}`));
    };
    socket.setTimeout(timeoutMs, () => socket.destroy(new Error("timed out")));
    socket.on("data", (d: Buffer) => (text += d.toString("latin1")));
    socket.on("close", done);
    socket.on("error", () => socket.destroy());
    socket.write(request);
  });
}
