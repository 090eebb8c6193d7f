import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { requireUser } from "@/lib/auth/guards";
import { getCustomer } from "@/lib/data/customers";
import { countPhonesByStatus, countRetryablePhones, getDeletedPhoneNotice, listPhones } from "@/lib/data/phones";
import { getOrganization } from "@/lib/data/organizations";
import { pageOf } from "@/lib/data/common";
import { effectiveUrl } from "@/lib/sync/outbox";
import { Card, EmptyState, PageHeader } from "@/components/ui/card";
import { ButtonLink } from "@/components/ui/button";
import { Pagination } from "@/components/ui/pagination";
import { AddPhoneForm } from "@/components/phones/add-phone-form";
import { PhoneTable } from "@/components/phones/phone-table";
import { StatusCounts } from "@/components/phones/status-counts";
import { SyncControls } from "@/components/customers/sync-controls";
import { SyncProgress } from "@/components/customers/sync-progress";
import { isOwnProvisioningUrl, listProfileChoices } from "@/lib/data/provisioning";
import { ActionForm } from "@/components/provisioning/action-form";
import { customerProfileAction } from "../profile-actions";
import { IN_PROGRESS_STATUSES } from "@/lib/sync/status";
import { redirectionServiceName } from "@/lib/reconcile/types";
import { describeSandbox } from "@/lib/redirection/org-account";

/** The tab names the customer, like every other page names itself. */
export async function generateMetadata({ params }: { params: Promise<{ id: string }> }): Promise<Metadata> {
  const user = await requireUser();
  const customer = await getCustomer(user, (await params).id);
  return { title: customer?.name ?? "Customer not found" };
}

export default async function CustomerPage({
  params,
  searchParams,
}: {
  params: Promise<{ id: string }>;
  searchParams: Promise<{ page?: string; deleted?: string }>;
}) {
  const user = await requireUser();
  const { id } = await params;
  const customer = await getCustomer(user, id);
  if (!customer) notFound();
  const sp = await searchParams;
  const [phones, counts, org, retryableCount, profiles] = await Promise.all([
    listPhones(user, { customerId: id, page: pageOf(sp.page) }),
    countPhonesByStatus(user, id),
    getOrganization(user),
    countRetryablePhones(user, id),
    listProfileChoices(user),
  ]);
  const sandbox = org.rdsEndpointKind === "SANDBOX";
  const service = redirectionServiceName(org.rdsEndpointKind, { sandboxLabel: describeSandbox().label });
  const url = effectiveUrl(null, customer.urlTemplate, org.urlTemplate);
  const [servedHere, deleted] = await Promise.all([
    isOwnProvisioningUrl(user, url),
    typeof sp.deleted === "string" ? getDeletedPhoneNotice(user, id, sp.deleted) : null,
  ]);
  return (
    <>
      <PageHeader title={customer.name}>
        <ButtonLink variant="secondary" href={`/customers/${id}/edit`}>
          Edit customer
        </ButtonLink>
      </PageHeader>
      {deleted && (
        <p role="status" className="mb-4 rounded-md border border-emerald-200 bg-emerald-50 px-3 py-2 text-sm text-emerald-900">
          {deleted.removing
            ? `Phone ${deleted.mac} deleted. It is queued for deregistration at ${service}; the worker does it now and the phone leaves the list once the service has forgotten its MAC.`
            : `Phone ${deleted.mac} deleted (deregistered at ${service}).`}
        </p>
      )}
      <div className="grid gap-6 lg:grid-cols-3">
        <Card className="lg:col-span-1">
          <dl className="space-y-2 text-sm">
            <div>
              <dt className="text-slate-500">Customer number</dt>
              <dd className="font-mono">{customer.number}</dd>
            </div>
            {(customer.contactName || customer.contactEmail || customer.contactPhone) && (
              <div>
                <dt className="text-slate-500">Contact</dt>
                <dd>
                  {[customer.contactName, customer.contactEmail, customer.contactPhone].filter(Boolean).join(" · ")}
                </dd>
              </div>
            )}
            <div>
              <dt className="text-slate-500">Provisioning URL</dt>
              <dd className="font-mono [overflow-wrap:anywhere]">
                {url ?? (
                  <span className="font-sans text-amber-800">none: set one here or in the organization settings</span>
                )}
                {url && !customer.urlTemplate && (
                  <span className="block font-sans text-xs text-slate-500">organization default</span>
                )}
              </dd>
            </div>
            <div>
              <dt className="text-slate-500">Configuration profile</dt>
              <dd>
                <ActionForm
                  action={customerProfileAction}
                  hidden={{ id }}
                  submit="Save profile"
                  variant="secondary"
                  className="mt-1 flex flex-wrap items-center gap-2"
                >
                  <select
                    aria-label="Configuration profile"
                    name="profileId"
                    defaultValue={customer.profileId ?? ""}
                    key={customer.profileId ?? ""}
                    className="rounded-md border border-slate-300 bg-white px-2 py-1.5 text-sm"
                  >
                    <option value="">Organization default</option>
                    {profiles.map((p) => (
                      <option key={p.id} value={p.id}>
                        {p.name}
                      </option>
                    ))}
                  </select>
                </ActionForm>
                {!servedHere && (
                  <p className="mt-1 text-xs text-amber-800">
                    This customer&apos;s phones do not fetch their settings from the portal: a profile applies only once
                    they use the portal&apos;s provisioning URL (Edit customer, or the default URL under Settings →
                    Provisioning server).
                  </p>
                )}
              </dd>
            </div>
            {customer.notes && (
              <div>
                <dt className="text-slate-500">Notes</dt>
                <dd className="whitespace-pre-wrap">{customer.notes}</dd>
              </div>
            )}
          </dl>
        </Card>
        <Card className="lg:col-span-2">
          <h2 className="mb-3 font-semibold">Add a phone</h2>
          <AddPhoneForm customerId={id} />
        </Card>
      </div>
      <section className="mt-8" aria-labelledby="phones-heading">
        <div className="mb-3 flex flex-wrap items-center justify-between gap-3">
          <h2 id="phones-heading" className="text-lg font-semibold">
            Phones ({phones.total})
          </h2>
          <div className="flex flex-wrap items-center gap-3">
            {phones.total > 0 && <SyncControls customerId={id} troubleCount={retryableCount} />}
            <ButtonLink size="sm" href={`/customers/${id}/import`}>
              Paste MACs
            </ButtonLink>
            <Link className="text-sm text-sky-700 underline" href={`/phones?customer=${id}`}>
              Search and filter
            </Link>
          </div>
        </div>
        <SyncProgress
          customerId={id}
          initial={{ counts, total: phones.total, inFlight: IN_PROGRESS_STATUSES.reduce((n, s) => n + counts[s], 0) }}
          poll={false}
        />
        {phones.total > 0 && (
          <div className="mb-4">
            <StatusCounts counts={counts} customerId={id} sandbox={sandbox} />
          </div>
        )}
        {phones.total === 0 ? (
          <EmptyState title="No phones yet">
            Type or scan the MAC of the first phone in the form above, or{" "}
            <Link className="text-sky-700 underline" href={`/customers/${id}/import`}>
              paste a whole list
            </Link>
            .
          </EmptyState>
        ) : (
          <>
            <PhoneTable phones={phones.items} sandbox={sandbox} serviceDown={org.circuitOpenedAt !== null} />
            <Pagination
              page={phones.page}
              pageCount={phones.pageCount}
              total={phones.total}
              basePath={`/customers/${id}`}
              params={{}}
              noun="phone"
            />
          </>
        )}
      </section>
    </>
  );
}
