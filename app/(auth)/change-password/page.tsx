import { redirect } from "next/navigation";
import { requireSignedIn } from "@/lib/auth/guards";
import { Card } from "@/components/ui/card";
import { PasswordForm } from "@/components/settings/password-form";
import { SignOutButton } from "@/components/layout/sign-out-button";

export const metadata = { title: "Choose your own password" };
export const dynamic = "force-dynamic";

/**
 * Where every portal page sends a user whose password someone else chose (org:create, an admin
 * creating the user or setting a new password): the same form as under Settings; afterwards every
 * session ends and they sign in with their own. Anyone else goes to the dashboard.
 * Docs: docs/decisions/0018-initial-passwords.md.
 */
export default async function ChangePasswordPage() {
  const user = await requireSignedIn();
  if (!user.mustChangePassword) redirect("/");
  return (
    <Card>
      <h1 className="mb-2 text-xl font-semibold">Choose your own password</h1>
      <p className="mb-4 text-sm text-slate-600">
        Signed in as <span className="font-medium text-slate-800">{user.email}</span>. Your password was set by
        someone else: choose one only you know before you use the portal. Then sign in with it.
      </p>
      <PasswordForm currentLabel="Password you were given" />
      <div className="mt-6 border-t border-slate-100 pt-4">
        <SignOutButton />
      </div>
    </Card>
  );
}
