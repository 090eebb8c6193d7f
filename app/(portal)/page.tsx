import { requireUser } from "@/lib/auth/guards";
import { describeSandbox } from "@/lib/redirection/org-account";
import Link from "next/link";
import { countPhonesByStatus, listCustomersNeedingAttention } from "@/lib/data/phones";
import { getOrganization } from "@/lib/data/organizations";
import { canSeeServiceAccount } from "@/lib/data/need-to-know";
import { prisma } from "@/lib/db";
import { Card, EmptyState, PageHeader } from "@/components/ui/card";
import { ButtonLink } from "@/components/ui/button";
import { StatusCounts } from "@/components/phones/status-counts";
import { countOf } from "@/lib/format";
import { countPhoneStages } from "@/lib/data/provisioning";

export const metadata = { title: "Dashboard" };

export default async function DashboardPage() {
  const user = await requireUser();
  const [counts, org, customerCount, attention, stages] = await Promise.all([
    countPhonesByStatus(user),
    getOrganization(user),
    prisma.customer.count({ where: { organizationId: user.organizationId } }),
    listCustomersNeedingAttention(user),
    countPhoneStages(user),
  ]);
  const phoneCount = Object.values(counts).reduce((a, b) => a + b, 0);
  return (
    <>
      <PageHeader title="Dashboard">
        <span className="text-sm text-slate-600">
          Redirection service: <strong>{serviceSummary(org, canSeeServiceAccount(user))}</strong>
        </span>
        <ButtonLink href="/customers/new">New customer</ButtonLink>
      </PageHeader>
      {customerCount === 0 ? (
        <EmptyState title="No customers yet">
          Start by creating a customer, then add the MACs of the phones you sold them.
        </EmptyState>
      ) : (
        <Card>
          <h2 className="mb-3 font-semibold">
            {countOf(phoneCount, "phone")} of {countOf(customerCount, "customer")}
          </h2>
          <StatusCounts counts={counts} sandbox={org.rdsEndpointKind === "SANDBOX"} />
        </Card>
      )}
      {customerCount > 0 && (
        <Card className="mt-6">
          <h2 className="mb-3 font-semibold">Phones per stage</h2>
          <dl className="grid grid-cols-2 gap-3 text-sm sm:grid-cols-4" aria-label="Phones per stage">
            {[
              ["Entered", stages.entered, "/phones"],
              ["Registered at the service", stages.registered, "/phones?status=synced"],
              ["Fetched their configuration", stages.fetched, "/phones?fetch=ever"],
              ["Sending their log", stages.logging, "/phones?fetch=logging"],
            ].map(([label, n, href]) => (
              <div key={label} className="rounded-md border border-slate-200 p-3">
                <dt className="text-slate-600">{label}</dt>
                <dd className="text-2xl font-semibold tabular-nums">
                  <Link className="hover:underline" href={String(href)}>
                    {n}
                  </Link>
                </dd>
              </div>
            ))}
          </dl>
        </Card>
      )}
      {attention.length > 0 && (
        <Card className="mt-6">
          <h2 className="mb-1 font-semibold">Needs attention</h2>
          <p className="mb-3 text-sm text-slate-600">
            Customers with phones that failed, were rejected, are owned elsewhere or have no URL.
          </p>
          <ul className="divide-y divide-slate-100">
            {attention.map((c) => (
              <li key={c.id} className="flex items-center justify-between py-2 text-sm">
                <Link className="font-medium text-sky-800 hover:underline" href={`/customers/${c.id}`}>
                  {c.name} <span className="font-mono text-slate-500">{c.number}</span>
                </Link>
                <span className="tabular-nums text-red-800">{countOf(c.count, "phone")}</span>
              </li>
            ))}
          </ul>
        </Card>
      )}
    </>
  );
}

type ServiceInfo = {
  rdsEndpointKind: string;
  rdsCustomUrl: string | null;
  rdsUsername: string | null;
  rdsPausedAt: Date | null;
};

/** Admins see where and as whom; everyone else only whether it works (need to know). */
function serviceSummary(org: ServiceInfo, canSeeAccount: boolean): string {
  const paused = org.rdsPausedAt ? " (paused: the credentials were refused)" : "";
  if (!canSeeAccount) {
    if (org.rdsPausedAt) return "paused — an admin must fix the credentials";
    return org.rdsEndpointKind === "SANDBOX" ? describeSandbox().summary : "working";
  }
  if (org.rdsEndpointKind === "SANDBOX") return `${describeSandbox().summary}${paused}`;
  if (org.rdsEndpointKind === "SRAPS") return `snom SRAPS as ${org.rdsUsername ?? "?"}${paused}`;
  return `${org.rdsCustomUrl ?? "custom endpoint"} as ${org.rdsUsername ?? "?"}${paused}`;
}
