"use client";

import { useEffect, useState } from "react";
import { formatRelative, formatSpan, formatUtc } from "@/lib/format";

/** The browser's clock, ticking every second. */
function useNow(): Date {
  const [now, setNow] = useState(() => new Date());
  useEffect(() => {
    const id = setInterval(() => setNow(new Date()), 1000);
    return () => clearInterval(id);
  }, []);
  return now;
}

/**
 * A moment as "in 40 s" / "12 s ago", counting every second in the browser; the exact UTC time is the
 * tooltip; `overdue` replaces it from the second the moment is reached ("any moment now"), so a page
 * never says "now" while another says the overdue words. The server render uses the server's clock;
 * the client's takes over after hydration.
 */
export function RelativeTime({ date, overdue }: { date: Date | string; overdue?: string }) {
  const d = typeof date === "string" ? new Date(date) : date;
  const now = useNow();
  const isDue = Math.round((d.getTime() - now.getTime()) / 1000) <= 0;
  return (
    <time dateTime={d.toISOString()} title={formatUtc(d, true)} suppressHydrationWarning>
      {overdue !== undefined && isDue ? overdue : formatRelative(d, now)}
    </time>
  );
}

/** How long it has been since `since` ("2 min"), counting in the browser; the start in UTC is the tooltip. */
export function Elapsed({ since }: { since: Date | string }) {
  const d = typeof since === "string" ? new Date(since) : since;
  const now = useNow();
  return (
    <span title={`since ${formatUtc(d, true)}`} suppressHydrationWarning>
      {formatSpan((now.getTime() - d.getTime()) / 1000)}
    </span>
  );
}
