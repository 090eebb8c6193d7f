import Link from "next/link";
import { notFound } from "next/navigation";
import { requirePermission } from "@/lib/auth/guards";
import { getProfile, getProvisioningOverview } from "@/lib/data/provisioning";
import { syslogTarget, unreachableBaseAddressReason } from "@/lib/provisioning/addresses";
import { Card, PageHeader } from "@/components/ui/card";
import { InputField } from "@/components/ui/field";
import { ActionForm } from "@/components/provisioning/action-form";
import { PROFILE_FIELD_LABELS, ProfileFields } from "@/components/provisioning/profile-fields";
import {
  createProfileAction,
  defaultProfileAction,
  deleteProfileAction,
  provisioningAddressAction,
  provisioningCredentialsAction,
  updateProfileAction,
} from "./actions";

export const metadata = { title: "Provisioning" };

const selectClass = "block w-full rounded-md border border-slate-300 bg-white px-3 py-2 text-sm";

export default async function ProvisioningSettingsPage({
  searchParams,
}: {
  searchParams: Promise<{ profile?: string }>;
}) {
  const user = await requirePermission("org:manage");
  const sp = await searchParams;
  const overview = await getProvisioningOverview(user);
  const profileId = typeof sp.profile === "string" ? sp.profile : undefined;
  const profile = profileId ? await getProfile(user, profileId) : null;
  if (profileId && !profile) notFound();
  const syslog = syslogTarget();
  const unreachable = unreachableBaseAddressReason();
  return (
    <>
      <PageHeader title="Provisioning server" />
      <p className="mb-6 max-w-3xl text-sm text-slate-600">
        The portal serves each phone its settings file: the redirection service sends a factory-fresh phone to the URL
        below, the phone replaces <code>{"{mac}"}</code> with its MAC and fetches its file here. Every fetch shows on
        the phone&apos;s page.
      </p>
      <div className="grid gap-6 lg:grid-cols-2">
        <Card>
          <h2 className="mb-2 font-semibold">Provisioning URL</h2>
          {/* The same forms in the same places whatever the state: each keeps its answer after the page refreshes. */}
          {overview.template ? (
            <p className="font-mono text-sm break-all" data-testid="provisioning-url">
              {overview.template}
            </p>
          ) : (
            <p className="text-sm text-slate-600">No provisioning address yet.</p>
          )}
          {unreachable && (
            <p role="alert" className="mt-2 rounded-md border border-amber-300 bg-amber-50 p-2 text-sm text-amber-900">
              {unreachable}
            </p>
          )}
          {overview.template && (
            <p className="mt-1 text-sm text-slate-600">
              {overview.isDefaultUrl
                ? "This is the organization's default provisioning URL."
                : "Not the organization's default URL yet."}
            </p>
          )}
          <div className="mt-3 flex flex-wrap gap-2">
            <ActionForm
              action={provisioningAddressAction}
              hidden={{ intent: "rotate" }}
              submit={overview.hasToken ? "Rotate address" : "Create provisioning address"}
              variant="secondary"
            />
            <ActionForm
              action={provisioningAddressAction}
              hidden={{ intent: "use-default" }}
              submit="Use as default provisioning URL"
            />
          </div>
          <p className="mt-2 text-xs text-slate-500">
            Rotating makes the old address answer 404 and re-registers every phone that used it.
          </p>
          <p className="mt-3 text-xs text-slate-500">
            Syslog from phones: {syslog ? <span className="font-mono">{syslog}</span> : "off (set SYSLOG_PORT)"}.
          </p>
        </Card>
        <Card>
          <h2 className="mb-2 font-semibold">HTTP credentials for phones</h2>
          <p className="mb-3 text-sm text-slate-600">
            Optional: phones then send this username and password with every fetch; the URL above carries them.
            {overview.provUsername && (
              <>
                {" "}
                Set for <strong>{overview.provUsername}</strong>.
              </>
            )}
          </p>
          <ActionForm
            action={provisioningCredentialsAction}
            hidden={{ intent: "save" }}
            submit="Save credentials"
            fieldLabels={{ username: "Username", password: "Password" }}
          >
            <InputField
              label="Username"
              name="username"
              defaultValue={overview.provUsername ?? ""}
              autoComplete="off"
            />
            <InputField
              label="Password"
              name="password"
              type="password"
              autoComplete="new-password"
              hint="At least 8 characters. Phones send it inside the provisioning URL, so admins see it there; sales staff never do."
            />
          </ActionForm>
          {overview.provUsername && (
            <div className="mt-3">
              <ActionForm
                action={provisioningCredentialsAction}
                hidden={{ intent: "clear" }}
                submit="Remove credentials"
                variant="secondary"
              />
            </div>
          )}
        </Card>
        <Card>
          <h2 className="mb-2 font-semibold">Configuration profiles</h2>
          {overview.profiles.length === 0 ? (
            <p className="text-sm text-slate-600">No profile yet: phones receive an empty settings file.</p>
          ) : (
            <ul className="mb-3 divide-y divide-slate-100 text-sm">
              {overview.profiles.map((p) => (
                <li key={p.id} className="flex justify-between py-1.5">
                  <Link className="text-sky-700 hover:underline" href={`/settings/provisioning?profile=${p.id}`}>
                    {p.name}
                  </Link>
                  <span className="text-slate-500">
                    {p.id === overview.defaultProfileId ? "default · " : ""}
                    {p.customers} customer{p.customers === 1 ? "" : "s"}
                  </span>
                </li>
              ))}
            </ul>
          )}
          <ActionForm action={createProfileAction} submit="Create profile" variant="secondary">
            <InputField label="New profile name" name="name" />
          </ActionForm>
          {overview.profiles.length > 0 && (
            <div className="mt-4">
              <ActionForm action={defaultProfileAction} submit="Save default">
                <label htmlFor="default-profile" className="mb-1 block text-sm font-medium text-slate-800">
                  Default profile (customers without their own)
                </label>
                <select
                  id="default-profile"
                  name="profileId"
                  defaultValue={overview.defaultProfileId ?? ""}
                  key={overview.defaultProfileId ?? ""}
                  className={selectClass}
                >
                  <option value="">None</option>
                  {overview.profiles.map((p) => (
                    <option key={p.id} value={p.id}>
                      {p.name}
                    </option>
                  ))}
                </select>
              </ActionForm>
            </div>
          )}
        </Card>
        {profile && (
          <Card className="lg:col-span-2">
            <h2 className="mb-3 font-semibold">Profile “{profile.name}”</h2>
            <ActionForm
              action={updateProfileAction}
              hidden={{ id: profile.id }}
              submit="Save profile"
              fieldLabels={PROFILE_FIELD_LABELS}
            >
              <ProfileFields profile={profile} />
            </ActionForm>
            <div className="mt-6 border-t border-slate-200 pt-4">
              <p className="mb-2 text-sm text-slate-600">
                Deleting the profile moves its customers to the organization&apos;s default; their phones get that with
                their next fetch.
              </p>
              <ActionForm
                action={deleteProfileAction}
                hidden={{ id: profile.id }}
                submit="Delete profile"
                variant="danger"
              />
            </div>
          </Card>
        )}
      </div>
    </>
  );
}
