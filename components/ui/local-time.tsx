"use client";

import { useSyncExternalStore } from "react";
import { formatUtc } from "@/lib/format";

const subscribe = () => () => {};

/**
 * The portal's one way to show a moment on a page (new users found: the audit log and the paused-sync alert
 * printed raw UTC): the viewer's own time zone and locale (the browser's), with the UTC time in a
 * tooltip; `<time dateTime>` carries the ISO form. Countdowns use RelativeTime; CSV exports keep
 * their spreadsheet format (lib/import/csv-export.ts, lib/audit/csv.ts). The server cannot know the viewer's zone, so the server render (and the first client
 * render, to match it) shows UTC; the local form replaces it right after hydration.
 */
export function LocalTime({
  date,
  withSeconds = false,
  timeOnlyToday = false,
}: {
  date: Date | string;
  withSeconds?: boolean;
  /** Just the time ("1:51 AM") when the moment is on the viewer's today; the date too otherwise. */
  timeOnlyToday?: boolean;
}) {
  const d = typeof date === "string" ? new Date(date) : date;
  const utc = formatUtc(d, withSeconds);
  const local = useSyncExternalStore(
    subscribe,
    () =>
      d.toLocaleString(undefined, {
        dateStyle: timeOnlyToday && d.toDateString() === new Date().toDateString() ? undefined : "medium",
        timeStyle: withSeconds ? "medium" : "short",
      }),
    () => utc,
  );
  return (
    <time dateTime={d.toISOString()} title={utc}>
      {local}
    </time>
  );
}
