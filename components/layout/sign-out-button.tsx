"use client";
import { signOut } from "next-auth/react";
import { Button } from "@/components/ui/button";

/**
 * Signs out and stays on the address the portal was opened by: next-auth would send the browser to
 * NEXTAUTH_URL's host (localhost by default), which is another site for someone who opened the
 * portal by IP address or another name.
 */
export function SignOutButton() {
  return (
    <Button
      variant="secondary"
      size="sm"
      onClick={async () => {
        await signOut({ redirect: false });
        // A full page load on purpose: nothing of the signed-in pages stays in the client router cache.
        // eslint-disable-next-line @next/next/no-location-assign-relative-destination
        window.location.assign("/login");
      }}
    >
      Sign out
    </Button>
  );
}
