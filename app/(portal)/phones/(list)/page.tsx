import Link from "next/link";
import { requireUser } from "@/lib/auth/guards";
import { listPhones } from "@/lib/data/phones";
import { listCustomerChoices } from "@/lib/data/customers";
import { getOrganization } from "@/lib/data/organizations";
import { pageOf } from "@/lib/data/common";
import { SYNC_STATUSES, SYNC_STATUS_LABELS } from "@/lib/sync/status";
import { EmptyState, PageHeader } from "@/components/ui/card";
import { ButtonLink, buttonVariants } from "@/components/ui/button";
import { SearchForm } from "@/components/ui/search-form";
import { AutoSubmitSelect } from "@/components/ui/auto-submit-select";
import { inputClass } from "@/components/ui/field";
import { Pagination } from "@/components/ui/pagination";
import { PhoneTable } from "@/components/phones/phone-table";

export const metadata = { title: "Phones" };

type Search = { q?: string; customer?: string; status?: string; page?: string };

export default async function PhonesPage({ searchParams }: { searchParams: Promise<Search> }) {
  const user = await requireUser();
  const sp = await searchParams;
  const str = (v: unknown) => (typeof v === "string" && v !== "" ? v : undefined);
  const filter = { q: str(sp.q), customerId: str(sp.customer), status: str(sp.status) };
  const [phones, customers, org] = await Promise.all([
    listPhones(user, { ...filter, page: pageOf(sp.page) }),
    listCustomerChoices(user),
    getOrganization(user),
  ]);
  const params = { q: filter.q, customer: filter.customerId, status: filter.status };
  const exportParams = new URLSearchParams(Object.entries(params).filter((e): e is [string, string] => !!e[1]));
  const filtered = !!(filter.q || filter.customerId || filter.status);
  return (
    <>
      <PageHeader title="Phones">
        <ButtonLink variant="secondary" href="/import">
          Import file
        </ButtonLink>
        <a className={buttonVariants({ variant: "secondary" })} href={`/phones/export?${exportParams}`}>
          Export CSV
        </a>
        <a
          className={buttonVariants({ variant: "secondary" })}
          href={`/phones/export?${new URLSearchParams([...exportParams, ["sep", "semicolon"]])}`}
          title="Semicolon-separated, as Excel expects with German (decimal comma) settings"
        >
          Export for Excel (;)
        </a>
      </PageHeader>
      <SearchForm action="/phones" q={filter.q} label="Search phones" placeholder="MAC in any notation (full or partial), label or serial">
        <div>
          <label htmlFor="filter-customer" className="mb-1 block text-sm font-medium text-slate-800">
            Customer
          </label>
          <AutoSubmitSelect id="filter-customer" name="customer" defaultValue={filter.customerId ?? ""} className={inputClass}>
            <option value="">All customers</option>
            {customers.map((c) => (
              <option key={c.id} value={c.id}>
                {c.name} ({c.number})
              </option>
            ))}
          </AutoSubmitSelect>
        </div>
        <div>
          <label htmlFor="filter-status" className="mb-1 block text-sm font-medium text-slate-800">
            Status
          </label>
          <AutoSubmitSelect id="filter-status" name="status" defaultValue={filter.status ?? ""} className={inputClass}>
            <option value="">Any status</option>
            {SYNC_STATUSES.map((s) => (
              <option key={s} value={s}>
                {SYNC_STATUS_LABELS[s]}
              </option>
            ))}
          </AutoSubmitSelect>
        </div>
      </SearchForm>
      {phones.items.length === 0 ? (
        filtered ? (
          <EmptyState title="No phone matches these filters">
            <Link className="text-sky-700 underline" href="/phones">
              Clear the filters
            </Link>
          </EmptyState>
        ) : (
          <EmptyState title="No phones yet">
            Phones are added on a customer&apos;s page: <Link className="text-sky-700 underline" href="/customers">pick a customer</Link>.
          </EmptyState>
        )
      ) : (
        <>
          <PhoneTable phones={phones.items} showCustomer sandbox={org.rdsEndpointKind === "SANDBOX"} />
          <Pagination page={phones.page} pageCount={phones.pageCount} total={phones.total} basePath="/phones" params={params} />
        </>
      )}
    </>
  );
}
