import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { requireUser } from "@/lib/auth/guards";
import { hasPermission } from "@/lib/auth/roles";
import { getPhone, listPhoneHistory } from "@/lib/data/phones";
import { getOrganization } from "@/lib/data/organizations";
import { formatMac } from "@/lib/mac";
import { effectiveUrl } from "@/lib/sync/outbox";
import { Card, PageHeader } from "@/components/ui/card";
import { ButtonLink } from "@/components/ui/button";
import { StatusBadge } from "@/components/phones/status-badge";
import { SyncDetail } from "@/components/phones/sync-detail";
import { PhoneHistory } from "@/components/phones/phone-history";
import { DeletePhoneForm } from "@/components/phones/delete-phone-form";
import { PhoneSyncActions } from "@/components/phones/phone-sync-actions";
import {
  getPhoneTimeline,
  isOwnProvisioningUrl,
  listPhoneOverrides,
  previewPhoneSettings,
} from "@/lib/data/provisioning";
import { urlHost } from "@/lib/urls";
import { PhoneTimeline } from "@/components/provisioning/phone-timeline";
import { PhoneOverrides } from "@/components/provisioning/phone-overrides";
import { OwnedElsewherePanel } from "@/components/reconcile/owned-elsewhere-panel";
import { redirectionServiceName } from "@/lib/reconcile/types";
import { endpointLabel } from "@/lib/audit/summary";
import { describeSandbox } from "@/lib/redirection/org-account";

/** The tab names the phone by its MAC, like every other page names itself. */
export async function generateMetadata({ params }: { params: Promise<{ id: string }> }): Promise<Metadata> {
  const user = await requireUser();
  const phone = await getPhone(user, (await params).id);
  return { title: phone ? `Phone ${phone.mac}` : "Phone not found" };
}

export default async function PhonePage({ params }: { params: Promise<{ id: string }> }) {
  const user = await requireUser();
  const { id } = await params;
  const phone = await getPhone(user, id);
  if (!phone) notFound();
  const [history, org, timeline, overrides, preview] = await Promise.all([
    listPhoneHistory(user, id),
    getOrganization(user),
    getPhoneTimeline(user, id),
    listPhoneOverrides(user, id),
    previewPhoneSettings(user, id),
  ]);
  const url = effectiveUrl(phone.urlOverride, phone.customer.urlTemplate, phone.organization.urlTemplate);
  const source = phone.urlOverride
    ? "phone override"
    : phone.customer.urlTemplate
      ? "customer template"
      : url
        ? "organization default"
        : null;
  const sandbox = org.rdsEndpointKind === "SANDBOX";
  // The portal's settings, file preview and fetch steps apply only to a phone that fetches from the
  // portal (its URL is this organization's /prov/ address, or it has fetched here); with no URL yet
  // they stay, as that is where the portal can still become its provisioning server.
  const servedHere = !url || !!timeline?.firstFetch || (await isOwnProvisioningUrl(user, url));
  return (
    <>
      <PageHeader title={`Phone ${phone.mac}`}>
        {!phone.deletedAt && (
          <ButtonLink variant="secondary" href={`/phones/${id}/edit`}>
            Edit or move
          </ButtonLink>
        )}
      </PageHeader>
      <div className="grid gap-6 lg:grid-cols-2 [&>*]:min-w-0">
        <Card>
          <dl className="grid grid-cols-[max-content_1fr] gap-x-4 gap-y-2 text-sm">
            <dt className="text-slate-500">MAC</dt>
            <dd className="font-mono">
              {phone.mac} <span className="text-slate-500">({formatMac(phone.mac)})</span>
            </dd>
            <dt className="text-slate-500">Customer</dt>
            <dd>
              <Link className="text-sky-700 hover:underline" href={`/customers/${phone.customer.id}`}>
                {phone.customer.name}
              </Link>
            </dd>
            <dt className="text-slate-500">Label</dt>
            <dd>{phone.label ?? "—"}</dd>
            <dt className="text-slate-500">Model</dt>
            <dd>{phone.model ?? "—"}</dd>
            <dt className="text-slate-500">Serial</dt>
            <dd>{phone.serial ?? "—"}</dd>
            <dt className="text-slate-500">Provisioning URL</dt>
            <dd className="font-mono break-all">
              {url ?? <span className="font-sans text-amber-800">none set</span>}
              {source && <span className="block font-sans text-xs text-slate-500">from the {source}</span>}
            </dd>
          </dl>
        </Card>
        <Card>
          <h2 className="mb-2 font-semibold">Redirection service</h2>
          <StatusBadge status={phone.syncStatus} sandbox={sandbox} serviceDown={org.circuitOpenedAt !== null} />
          <SyncDetail phone={phone} />
          {phone.registeredUrl && (
            <p className="mt-2 text-sm">
              Registered URL: <span className="font-mono break-all">{phone.registeredUrl}</span>
            </p>
          )}
          {phone.syncStatus === "owned_elsewhere" && !phone.deletedAt && (
            <OwnedElsewherePanel
              phone={phone}
              ourCompany={user.organizationName}
              service={redirectionServiceName(org.rdsEndpointKind, {
                customHost: org.rdsCustomUrl ? endpointLabel(org.rdsCustomUrl) : null,
                sandboxLabel: describeSandbox().label,
              })}
            />
          )}
          <div className="mt-4">
            <PhoneSyncActions
              phoneId={id}
              sandbox={sandbox}
              canRetry={
                hasPermission(user.role, "phones:sync") && (!phone.deletedAt || phone.lastErrorCode === "gave_up")
              }
              synced={phone.syncStatus === "synced"}
            />
          </div>
        </Card>
      </div>
      {timeline && (
        <Card className="mt-6">
          <h2 className="mb-3 font-semibold">Timeline</h2>
          <PhoneTimeline timeline={timeline} servedHere={servedHere} />
        </Card>
      )}
      {servedHere ? (
        <div className="mt-6 grid gap-6 lg:grid-cols-2 [&>*]:min-w-0">
          <Card>
            <h2 className="mb-1 font-semibold">Settings of this phone</h2>
            <p className="mb-3 text-sm text-slate-600">
              Single settings on top of the customer&apos;s configuration profile.
            </p>
            {!phone.deletedAt && overrides && (
              <PhoneOverrides
                phoneId={id}
                overrides={overrides}
                canConfigure={hasPermission(user.role, "phones:configure")}
              />
            )}
          </Card>
          <Card>
            <h2 className="mb-1 font-semibold">Configuration file preview</h2>
            <p className="mb-3 text-sm text-slate-600">Exactly what the phone receives, with passwords hidden here.</p>
            <pre className="max-h-96 overflow-auto rounded bg-slate-50 p-3 text-xs" data-testid="settings-preview">
              {preview}
            </pre>
          </Card>
        </div>
      ) : (
        <Card className="mt-6">
          <h2 className="mb-1 font-semibold">Configuration</h2>
          <p className="text-sm text-slate-600" data-testid="provisioned-elsewhere">
            This phone gets its configuration from <strong className="break-all">{urlHost(url!)}</strong>, not from this
            portal.{" "}
            <ProvisioningUrlWhere source={source} phoneId={id} customerId={phone.customer.id} role={user.role} />
          </p>
        </Card>
      )}
      <Card className="mt-6">
        <h2 className="mb-3 font-semibold">History</h2>
        <PhoneHistory events={history} status={phone.syncStatus} />
      </Card>
      {!phone.deletedAt && (
        <Card className="mt-6 border-red-200">
          <h2 className="font-semibold text-red-900">Delete phone</h2>
          <p className="mt-1 mb-3 text-sm text-slate-600">
            The MAC is deregistered from the redirection service first, then removed here.
          </p>
          <DeletePhoneForm phoneId={id} />
        </Card>
      )}
    </>
  );
}

/**
 * Where the phone's provisioning URL comes from and can be changed, for the user's role: the phone
 * (its edit page), its customer (the customer's edit page) or the organization (Settings, admins;
 * the provisioning server page makes the portal serve every phone).
 */
function ProvisioningUrlWhere(props: { source: string | null; phoneId: string; customerId: string; role: string }) {
  const link = "text-sky-700 underline";
  if (props.source === "phone override") {
    return hasPermission(props.role, "phones:write") ? (
      <>
        It is set on this phone: change it on{" "}
        <Link className={link} href={`/phones/${props.phoneId}/edit`}>
          Edit or move
        </Link>
        .
      </>
    ) : (
      <>It is set on this phone.</>
    );
  }
  if (props.source === "customer template") {
    return hasPermission(props.role, "customers:write") ? (
      <>
        It comes from the customer: change it on the{" "}
        <Link className={link} href={`/customers/${props.customerId}/edit`}>
          customer&apos;s edit page
        </Link>
        .
      </>
    ) : (
      <>It comes from the customer.</>
    );
  }
  return hasPermission(props.role, "org:manage") ? (
    <>
      It is the organization&apos;s default: change it in{" "}
      <Link className={link} href="/settings">
        Settings
      </Link>
      , or make this portal the provisioning server under{" "}
      <Link className={link} href="/settings/provisioning">
        Settings → Provisioning server
      </Link>
      .
    </>
  ) : (
    <>It is the organization&apos;s default; an admin can change it in Settings.</>
  );
}
