"use client";
import { Button } from "@/components/ui/button";
import { DATABASE_UNREACHABLE_DIGEST, DATABASE_UNREACHABLE_SENTENCE } from "@/lib/database-unreachable";

export function PageLoading() {
  return (
    <div role="status" aria-live="polite" className="animate-pulse space-y-3">
      <div className="h-8 w-48 rounded bg-slate-200" />
      <div className="h-10 rounded bg-slate-200" />
      <div className="h-64 rounded bg-slate-200" />
      <span className="sr-only">Loading…</span>
    </div>
  );
}

export function PageError({ error, reset }: { error: Error & { digest?: string }; reset: () => void }) {
  const databaseDown = error.digest === DATABASE_UNREACHABLE_DIGEST;
  return (
    <div role="alert" className="rounded-lg border border-red-200 bg-red-50 p-6 text-red-900">
      <h2 className="font-semibold">This page could not be loaded</h2>
      <p className="mt-1 text-sm">
        {databaseDown ? DATABASE_UNREACHABLE_SENTENCE : "Something unexpected went wrong. Nothing was half-saved; try again."}
      </p>
      <Button className="mt-4" variant="secondary" onClick={() => reset()}>
        Try again
      </Button>
    </div>
  );
}
