export type SyncFields = {
  syncStatus: string;
  syncedAt: Date | null;
  nextAttemptAt: Date | null;
  attempts: number;
  lastErrorCode: string | null;
  lastErrorText: string | null;
  ownerCompany: string | null;
};

const fmt = (d: Date) => d.toISOString().replace("T", " ").slice(0, 16) + " UTC";

/** One line under a status badge: why, and what happens next. */
export function SyncDetail({ phone }: { phone: SyncFields }) {
  let text: string | null = null;
  switch (phone.syncStatus) {
    case "synced":
      text = phone.syncedAt ? `since ${fmt(phone.syncedAt)}` : null;
      break;
    case "failed":
      text = phone.nextAttemptAt
        ? `${phone.lastErrorText ?? phone.lastErrorCode ?? "error"} · retry ${fmt(phone.nextAttemptAt)} (attempt ${phone.attempts})`
        : `${phone.lastErrorText ?? phone.lastErrorCode ?? "error"} · gave up after ${phone.attempts} attempts`;
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
