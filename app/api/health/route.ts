import { GET as getReadiness } from "./ready/route";

export const dynamic = "force-dynamic";

/**
 * The first health endpoint, kept as an alias of `GET /api/health/ready`: the same status codes and
 * body (`{ status: "ready" }` or 503 `{ status: "unavailable", reason }`). It used to answer
 * `{ ok: true }` or a raw 500; monitors that only look at the status code keep working.
 */
export function GET(): Promise<Response> {
  return getReadiness();
}
