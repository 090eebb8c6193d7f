import { requirePermission } from "@/lib/auth/guards";
import { describeSandbox } from "@/lib/redirection/org-account";
import { getRedirectionSettings } from "@/lib/data/redirection-settings";
import { SRAPS_URL } from "@/lib/redirection/types";
import { Alert, Card, PageHeader } from "@/components/ui/card";
import { LocalTime } from "@/components/ui/local-time";
import { RedirectionSettingsForm } from "@/components/settings/redirection-settings-form";

export const metadata = { title: "Redirection service" };

export default async function RedirectionSettingsPage() {
  const user = await requirePermission("org:manage");
  const settings = await getRedirectionSettings(user);
  return (
    <>
      <PageHeader title="Redirection service" />
      {settings.rdsPausedAt && (
        <Alert tone="error" className="mb-6">
          Sync is paused since <LocalTime date={settings.rdsPausedAt} />:{" "}
          {settings.rdsPausedReason ?? "the credentials were refused"}. Fix the settings below or test the connection to
          resume.
        </Alert>
      )}
      <div className="max-w-3xl">
        <Card>
          <RedirectionSettingsForm
            settings={{
              endpointKind: settings.rdsEndpointKind,
              customUrl: settings.rdsCustomUrl,
              username: settings.rdsUsername,
              hasPassword: settings.hasPassword,
            }}
            srapsUrl={SRAPS_URL}
            sandbox={describeSandbox()}
          />
        </Card>
      </div>
    </>
  );
}
