import Link from "next/link";
import { requireUser } from "@/lib/auth/guards";
import { listCustomers } from "@/lib/data/customers";
import { countPhonesByCustomerAndStatus } from "@/lib/data/phones";
import { SyncBar } from "@/components/customers/sync-bar";
import { pageOf } from "@/lib/data/common";
import { EmptyState, PageHeader } from "@/components/ui/card";
import { ButtonLink } from "@/components/ui/button";
import { SearchForm } from "@/components/ui/search-form";
import { Table, Td, Th } from "@/components/ui/table";
import { Pagination } from "@/components/ui/pagination";

export const metadata = { title: "Customers" };

export default async function CustomersPage({ searchParams }: { searchParams: Promise<{ q?: string; page?: string }> }) {
  const user = await requireUser();
  const sp = await searchParams;
  const q = typeof sp.q === "string" ? sp.q : undefined;
  const { items, total, page, pageCount } = await listCustomers(user, { q, page: pageOf(sp.page) });
  const syncCounts = await countPhonesByCustomerAndStatus(
    user,
    items.map((c) => c.id),
  );
  return (
    <>
      <PageHeader title="Customers">
        <ButtonLink variant="secondary" href="/import">
          Import file
        </ButtonLink>
        <ButtonLink href="/customers/new">New customer</ButtonLink>
      </PageHeader>
      <SearchForm action="/customers" q={q} label="Search customers" placeholder="Name, customer number or contact" />
      {items.length === 0 ? (
        q ? (
          <EmptyState title={`No customer matches “${q}”`}>
            Check the spelling, or <Link className="text-sky-700 underline" href="/customers">show all customers</Link>.
          </EmptyState>
        ) : (
          <EmptyState title="No customers yet">
            <Link className="text-sky-700 underline" href="/customers/new">Create your first customer</Link>, then add the MACs of the phones you sold them.
          </EmptyState>
        )
      ) : (
        <>
          {/* Below 1024 px each customer is a small card (name and number, contact, phones and sync),
              so the sync figure is never off-screen; the table from 1024 px. */}
          <Table aria-label="Customers" className="max-lg:block">
            <thead className="max-lg:sr-only">
              <tr>
                <Th>Name</Th>
                <Th>Number</Th>
                <Th>Contact</Th>
                <Th className="text-right">Phones</Th>
                <Th>Sync</Th>
              </tr>
            </thead>
            <tbody className="divide-y divide-slate-100 max-lg:block">
              {items.map((c) => (
                <tr
                  key={c.id}
                  className="hover:bg-slate-50 max-lg:flex max-lg:flex-wrap max-lg:items-baseline max-lg:gap-x-3 max-lg:gap-y-1 max-lg:px-4 max-lg:py-3"
                  data-customer={c.id}
                >
                  <Td className="break-words max-lg:p-0">
                    <Link href={`/customers/${c.id}`} className="font-medium text-sky-800 hover:underline">
                      {c.name}
                    </Link>
                  </Td>
                  <Td className="font-mono max-lg:p-0 max-lg:text-xs max-lg:text-slate-600">{c.number}</Td>
                  <Td className="max-lg:basis-full max-lg:p-0 max-lg:break-all max-lg:text-xs max-lg:text-slate-600 max-lg:empty:hidden">
                    {[c.contactName, c.contactEmail].filter(Boolean).join(" · ")}
                  </Td>
                  <Td className="text-right tabular-nums max-lg:p-0 max-lg:text-left">
                    {c._count.phones}
                    <span className="lg:hidden"> {c._count.phones === 1 ? "phone" : "phones"}</span>
                  </Td>
                  <Td className="max-lg:p-0">
                    <SyncBar counts={syncCounts.get(c.id)} />
                  </Td>
                </tr>
              ))}
            </tbody>
          </Table>
          <Pagination page={page} pageCount={pageCount} total={total} basePath="/customers" params={{ q }} noun="customer" />
        </>
      )}
    </>
  );
}
