import { requireUser } from "@/lib/auth/guards";
import { countPhonesByStatus } from "@/lib/data/phones";
import { getOrganization } from "@/lib/data/organizations";
import { prisma } from "@/lib/db";
import { Card, EmptyState, PageHeader } from "@/components/ui/card";
import { ButtonLink } from "@/components/ui/button";
import { StatusCounts } from "@/components/phones/status-counts";

export const metadata = { title: "Dashboard" };

export default async function DashboardPage() {
  const user = await requireUser();
  const [counts, org, customerCount] = await Promise.all([
    countPhonesByStatus(user),
    getOrganization(user),
    prisma.customer.count({ where: { organizationId: user.organizationId } }),
  ]);
  const phoneCount = Object.values(counts).reduce((a, b) => a + b, 0);
  return (
    <>
      <PageHeader title="Dashboard">
        <ButtonLink href="/customers/new">New customer</ButtonLink>
      </PageHeader>
      {customerCount === 0 ? (
        <EmptyState title="No customers yet">
          Start by creating a customer, then add the MACs of the phones you sold them.
        </EmptyState>
      ) : (
        <Card>
          <h2 className="mb-3 font-semibold">
            {phoneCount} phones of {customerCount} customers
          </h2>
          <StatusCounts counts={counts} sandbox={org.rdsEndpointKind === "SANDBOX"} />
        </Card>
      )}
    </>
  );
}
