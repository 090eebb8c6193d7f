export type SyncFields = {
  syncStatus: string;
  syncedAt: Date | null;
  nextAttemptAt: Date | null;
  attempts: number;
  lastErrorCode: string | null;
  lastErrorText: string | null;
  ownerCompany: string | null;
};

import type { ReactNode } from "react";
import { countOf } from "@/lib/format";
import { LocalTime } from "@/components/ui/local-time";
import { RelativeTime } from "@/components/ui/relative-time";

/** What "next try" says once its moment has passed and the retry waits for a free slot. */
export const RETRY_OVERDUE = "due now (waiting for its turn)";

/** One line under a status badge: why, and what happens next. */
export function SyncDetail({ phone }: { phone: SyncFields }) {
  let text: ReactNode = null;
  switch (phone.syncStatus) {
    case "synced":
      text = phone.syncedAt ? (
        <>
          since <LocalTime date={phone.syncedAt} />
        </>
      ) : null;
      break;
    case "retrying":
      text = (
        <>
          {phone.lastErrorText ?? phone.lastErrorCode ?? "error"}
          {phone.nextAttemptAt ? (
            <>
              {" "}
              · next try {/* An overdue retry waits for a free slot in the queue: never a time in the past. */}
              <RelativeTime date={phone.nextAttemptAt} overdue={RETRY_OVERDUE} />
            </>
          ) : null}{" "}
          · {countOf(phone.attempts, "failed attempt")} so far
        </>
      );
      break;
    case "waiting":
      text = "the service is not answering; sent as soon as it is back (no attempt used)";
      break;
    case "paused":
      text = "queue paused: the service refused the account's credentials";
      break;
    case "failed":
      text = `${phone.lastErrorText ?? phone.lastErrorCode ?? "error"} · gave up after ${countOf(phone.attempts, "attempt")}`;
      break;
    case "rejected":
      text = phone.lastErrorText ?? phone.lastErrorCode;
      break;
    case "owned_elsewhere":
      text = phone.ownerCompany ? `owned by ${phone.ownerCompany}` : "owned by another account";
      break;
  }
  return text ? <p className="mt-0.5 text-xs text-slate-600">{text}</p> : null;
}
