import Link from "next/link";
import { LocalTime } from "@/components/ui/local-time";
import { RelativeTime } from "@/components/ui/relative-time";
import type { CircuitView } from "@/lib/data/sync-overview";
import { countOf } from "@/lib/format";
import { CheckServiceButton } from "./check-service-button";

export function SandboxBanner({ isAdmin }: { isAdmin: boolean }) {
  return (
    <div role="status" className="border-b border-amber-300 bg-amber-50 px-4 py-2 text-center text-sm text-amber-900">
      <strong>Sandbox:</strong> registrations go to the portal’s simulator of the service, not to snom. No real phone is redirected.{" "}
      {isAdmin ? (
        <Link href="/settings/redirection" className="underline">
          Connect to snom SRAPS
        </Link>
      ) : (
        "An admin can connect the portal to snom SRAPS."
      )}
    </div>
  );
}

export function PausedBanner({ reason, isAdmin }: { reason: string | null; isAdmin: boolean }) {
  return (
    <div role="alert" className="border-b border-red-300 bg-red-50 px-4 py-2 text-center text-sm text-red-900">
      {/* The reason is the worker's own sentence: refused credentials, or an endpoint URL to fix. */}
      <strong>Sync paused:</strong> {reason ?? "The redirection service refused the organization’s credentials."}{" "}
      Nothing is sent until the settings are fixed.{" "}
      {isAdmin ? (
        <Link href="/settings/redirection" className="underline">
          Update the credentials
        </Link>
      ) : (
        "Ask an admin to update them."
      )}
    </div>
  );
}

/**
 * While the organization's circuit is open (issue 10): since when the service is not answering, its
 * last error, how many phones wait, when the next check is, and Check now. Live pages refresh it, so
 * it goes by itself once a check finds the service back.
 */
export function ServiceDownBanner({ circuit, canCheck }: { circuit: CircuitView; canCheck: boolean }) {
  return (
    <div role="alert" className="border-b border-sky-300 bg-sky-50 px-4 py-2 text-center text-sm text-sky-950">
      <strong>The redirection service is not answering</strong> since <LocalTime date={circuit.openedAt} withSeconds />
      {circuit.lastError ? ` (last error: ${circuit.lastError})` : ""}. {countOf(circuit.waiting, "phone")} waiting; they are sent
      as soon as it answers again, without using up attempts. Next check:{" "}
      {circuit.nextProbeAt ? <RelativeTime date={circuit.nextProbeAt} overdue="any moment now" /> : "any moment now"}.{" "}
      {canCheck && <CheckServiceButton />}
    </div>
  );
}
