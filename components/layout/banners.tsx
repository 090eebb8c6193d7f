import Link from "next/link";

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
