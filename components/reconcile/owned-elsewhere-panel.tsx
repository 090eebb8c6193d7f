import { releaseRequestText } from "@/lib/reconcile/types";
import { LocalTime } from "@/components/ui/local-time";
import { ActionForm } from "@/components/provisioning/action-form";
import { recheckOwnerAction } from "@/app/(portal)/reconcile/actions";

/**
 * An owned-elsewhere phone: parked (no retries), who owns it, a release request ready to send, and
 * when it is checked again (daily, or now). Source of the workflow: issue 12, point 4.
 */
export function OwnedElsewherePanel({
  phone,
  ourCompany,
  service,
}: {
  phone: { id: string; mac: string; serial: string | null; ownerCompany: string | null; ownerCheckedAt: Date | null };
  ourCompany: string;
  /** The organization's redirection service in words (redirectionServiceName). */
  service: string;
}) {
  const text = releaseRequestText({
    mac: phone.mac,
    serial: phone.serial,
    ownerCompany: phone.ownerCompany,
    ourCompany,
    service,
  });
  return (
    <section
      aria-label="Owned by another account"
      className="mt-4 space-y-2 rounded-md border border-amber-300 bg-amber-50 p-3 text-sm"
    >
      <p>
        Parked: another account ({phone.ownerCompany ?? "company unknown"}) holds this MAC, so the portal does not
        retry. It is checked again once a day and registered as soon as it is free
        {phone.ownerCheckedAt ? (
          <>
            {" "}
            (last checked <LocalTime date={phone.ownerCheckedAt} />)
          </>
        ) : null}
        .
      </p>
      <label className="block">
        <span className="mb-1 block font-medium">Release request to send to the owner</span>
        <textarea
          readOnly
          rows={13}
          className="w-full rounded border border-slate-300 bg-white p-2 font-mono text-xs"
          value={text}
        />
      </label>
      <ActionForm action={recheckOwnerAction} hidden={{ id: phone.id }} submit="Check again now" variant="secondary" />
    </section>
  );
}
