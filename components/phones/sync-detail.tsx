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
              · next try <RelativeTime date={phone.nextAttemptAt} />
            </>
          ) : null}{" "}
          (attempt {phone.attempts})
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
