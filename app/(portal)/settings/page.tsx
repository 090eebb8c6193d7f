import Link from "next/link";
import { describeSandbox } from "@/lib/redirection/org-account";
import { requireUser } from "@/lib/auth/guards";
import { hasPermission } from "@/lib/auth/roles";
import { getOrganization } from "@/lib/data/organizations";
import { Card, PageHeader } from "@/components/ui/card";
import { OrganizationForm } from "@/components/settings/organization-form";
import { PasswordForm } from "@/components/settings/password-form";

export const metadata = { title: "Settings" };

export default async function SettingsPage() {
  const user = await requireUser();
  const isAdmin = hasPermission(user.role, "org:manage");
  const org = isAdmin ? await getOrganization(user) : null;
  return (
    <>
      <PageHeader title="Settings" />
      <div className="grid gap-6 lg:grid-cols-2">
        {org && (
          <Card>
            <h2 className="mb-3 font-semibold">Organization</h2>
            <OrganizationForm org={{ name: org.name, urlTemplate: org.urlTemplate }} />
            <p className="mt-4 text-sm">
              <Link className="text-sky-700 underline" href="/settings/redirection">
                Redirection service account
              </Link>{" "}
              <span className="text-slate-600">
                (
                {org.rdsEndpointKind === "SANDBOX"
                  ? describeSandbox().label.toLowerCase()
                  : org.rdsEndpointKind === "SRAPS"
                    ? "snom SRAPS"
                    : "custom endpoint"}
                )
              </span>
            </p>
            <p className="mt-2 text-sm">
              <Link className="text-sky-700 underline" href="/settings/provisioning">
                Provisioning server and configuration profiles
              </Link>
            </p>
          </Card>
        )}
        <Card>
          <h2 className="mb-3 font-semibold">Your password</h2>
          <PasswordForm />
        </Card>
      </div>
    </>
  );
}
