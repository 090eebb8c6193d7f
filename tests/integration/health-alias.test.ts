// GET /api/health is an alias of /api/health/ready (issue 14, point 5): same status, same body.
import { describe, expect, it } from "vitest";
import { GET as health } from "@/app/api/health/route";
import { GET as ready } from "@/app/api/health/ready/route";
import { prisma } from "@/lib/db";
import { markShuttingDown } from "@/lib/health";

async function answer(get: () => Promise<Response> | Response) {
  const res = await get();
  return { status: res.status, body: await res.json(), cacheControl: res.headers.get("cache-control") };
}

describe("GET /api/health", () => {
  it("answers exactly as /api/health/ready: 200 { status: 'ready' }, then 503 'shutting_down'", async () => {
    const up = await answer(health);
    expect(up).toEqual({ status: 200, body: { status: "ready" }, cacheControl: "no-store" });
    expect(up).toEqual(await answer(ready));
    markShuttingDown();
    const down = await answer(health);
    expect(down).toEqual({ status: 503, body: { status: "unavailable", reason: "shutting_down" }, cacheControl: "no-store" });
    expect(down).toEqual(await answer(ready));
    await prisma.$disconnect();
  });
});
