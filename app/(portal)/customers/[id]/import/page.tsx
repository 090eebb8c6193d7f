import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { requirePermission } from "@/lib/auth/guards";
import { getCustomer } from "@/lib/data/customers";
import { getOrganization } from "@/lib/data/organizations";
import { Alert, PageHeader } from "@/components/ui/card";
import { PasteImport } from "@/components/import/paste-import";

/** The tab names the customer the phones go to, as the page's heading does. */
export async function generateMetadata({ params }: { params: Promise<{ id: string }> }): Promise<Metadata> {
  const user = await requirePermission("phones:write");
  const customer = await getCustomer(user, (await params).id);
  return { title: customer ? `Paste MACs for ${customer.name}` : "Customer not found" };
}

export default async function PasteImportPage({ params }: { params: Promise<{ id: string }> }) {
  const user = await requirePermission("phones:write");
  const { id } = await params;
  const customer = await getCustomer(user, id);
  if (!customer) notFound();
  const organization = await getOrganization(user);
  const hasUrl = !!customer.urlTemplate?.trim() || !!organization.urlTemplate?.trim();
  return (
    <>
      <p className="mb-2 text-sm">
        <Link href={`/customers/${customer.id}`} className="text-sky-700 underline">
          ← {customer.name}
        </Link>
      </p>
      <PageHeader title={`Paste MACs for ${customer.name}`} />
      <p className="mb-4 text-sm text-slate-600">
        Paste a list from a delivery note or a spreadsheet, or scan the boxes with a barcode scanner. Nothing is saved
        until you check the list and press “Add”.
      </p>
      {!hasUrl && (
        <Alert tone="warning" className="mb-4">
          No provisioning URL yet: neither {customer.name} nor the organization has one, so phones added here are kept
          but not registered with the redirection service (they show “Needs URL”) until one is set{" "}
          <Link href={`/customers/${customer.id}/edit`} className="underline">
            on the customer
          </Link>{" "}
          or under Settings.
        </Alert>
      )}
      <PasteImport customerId={customer.id} customerName={customer.name} hasUrl={hasUrl} />
    </>
  );
}
