import Link from "next/link";
import { notFound } from "next/navigation";
import { requirePermission } from "@/lib/auth/guards";
import { getCustomer } from "@/lib/data/customers";
import { PageHeader } from "@/components/ui/card";
import { PasteImport } from "@/components/import/paste-import";

export const metadata = { title: "Paste MACs" };

export default async function PasteImportPage({ params }: { params: Promise<{ id: string }> }) {
  const user = await requirePermission("phones:write");
  const { id } = await params;
  const customer = await getCustomer(user, id);
  if (!customer) notFound();
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
      <PasteImport customerId={customer.id} customerName={customer.name} />
    </>
  );
}
