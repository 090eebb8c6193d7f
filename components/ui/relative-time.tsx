"use client";

import { useEffect, useState } from "react";
import { formatRelative, formatUtc } from "@/lib/format";

/**
 * A moment as "in 40 s" / "12 s ago", counting every second in the browser; the exact UTC time is the
 * tooltip; `overdue` replaces it once the moment has passed ("any moment now"). The server render uses the server's clock; the client's takes over after hydration.
 */
export function RelativeTime({ date, overdue }: { date: Date | string; overdue?: string }) {
  const d = typeof date === "string" ? new Date(date) : date;
  const [now, setNow] = useState(() => new Date());
  useEffect(() => {
    const id = setInterval(() => setNow(new Date()), 1000);
    return () => clearInterval(id);
  }, []);
  return (
    <time dateTime={d.toISOString()} title={formatUtc(d, true)} suppressHydrationWarning>
      {overdue !== undefined && d.getTime() <= now.getTime() ? overdue : formatRelative(d, now)}
    </time>
  );
}
