import Link from "next/link";
import { requirePermission } from "@/lib/auth/guards";
import { listCustomerChoices, listCustomerIdsWithoutUrl } from "@/lib/data/customers";
import { EmptyState, PageHeader } from "@/components/ui/card";
import { FileImport } from "@/components/import/file-import";

export const metadata = { title: "Import phones from a file" };

export default async function FileImportPage() {
  const user = await requirePermission("phones:write");
  const [customers, withoutUrl] = await Promise.all([listCustomerChoices(user), listCustomerIdsWithoutUrl(user)]);
  return (
    <>
      <PageHeader title="Import phones from a file" />
      <p className="mb-4 text-sm text-slate-600">
        Upload a CSV or TSV export of a spreadsheet. You see every row with its verdict before anything is saved. To
        paste a list for one customer, use “Paste MACs” on the customer&apos;s page.
      </p>
      {customers.length === 0 ? (
        <EmptyState title="No customers yet">
          Phones belong to customers:{" "}
          <Link className="text-sky-700 underline" href="/customers/new">
            create a customer
          </Link>{" "}
          first.
        </EmptyState>
      ) : (
        <FileImport customers={customers} customerIdsWithoutUrl={withoutUrl} />
      )}
    </>
  );
}
