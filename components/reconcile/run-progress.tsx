"use client";
import { useEffect } from "react";
import { useRouter } from "next/navigation";

/** Live progress of a running scan: a progress bar, and the page refreshed every second until it ends. */
export function RunProgress({ done, total, label }: { done: number; total: number; label: string }) {
  const router = useRouter();
  useEffect(() => {
    const timer = setInterval(() => router.refresh(), 1000);
    return () => clearInterval(timer);
  }, [router]);
  return (
    <div className="space-y-1" role="status" aria-live="polite">
      <p className="text-sm text-slate-700">
        {label}: {done} of {total || "?"} calls
      </p>
      <progress className="w-full" max={Math.max(total, 1)} value={done} aria-label={label} />
    </div>
  );
}
