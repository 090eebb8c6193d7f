import Link from "next/link";
import { requireUser } from "@/lib/auth/guards";
import { FETCH_FILTERS, listPhones } from "@/lib/data/phones";
import { getCustomerChoice } from "@/lib/data/customers";
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
import { BulkActions, BULK_FORM_ID } from "@/components/phones/bulk-actions";
import { hasPermission } from "@/lib/auth/roles";
import { bulkPhonesAction } from "../bulk-actions";
import { CustomerCombobox } from "@/components/customers/customer-combobox";
import { countOf } from "@/lib/format";

export const metadata = { title: "Phones" };

/** Ages offered for "registered, never fetched" (days); another value from the URL is kept as a choice. */
const REGISTERED_AGO_DAYS = [0, 1, 7, 30, 90];

function registeredAgoChoices(current: number): number[] {
  return [...new Set([...REGISTERED_AGO_DAYS, current])].sort((a, b) => a - b);
}

type Search = { q?: string; customer?: string; status?: string; page?: string; fetch?: string; days?: string; firmware?: string };

export default async function PhonesPage({ searchParams }: { searchParams: Promise<Search> }) {
  const user = await requireUser();
  const sp = await searchParams;
  const str = (v: unknown) => (typeof v === "string" && v !== "" ? v : undefined);
  const days = Number(str(sp.days) ?? "7");
  const filter = {
    q: str(sp.q),
    customerId: str(sp.customer),
    status: str(sp.status),
    fetch: FETCH_FILTERS.includes(sp.fetch as (typeof FETCH_FILTERS)[number]) ? sp.fetch : undefined,
    neverDays: Number.isInteger(days) && days >= 0 && days <= 3650 ? days : 7,
    firmware: str(sp.firmware)?.slice(0, 40),
  };
  const [phones, customer, org] = await Promise.all([
    listPhones(user, { ...filter, page: pageOf(sp.page) }),
    filter.customerId ? getCustomerChoice(user, filter.customerId) : null,
    getOrganization(user),
  ]);
  const params = {
    q: filter.q,
    customer: filter.customerId,
    status: filter.status,
    fetch: filter.fetch,
    days: filter.fetch === "never" ? String(filter.neverDays) : undefined,
    firmware: filter.firmware,
  };
  const exportParams = new URLSearchParams(Object.entries(params).filter((e): e is [string, string] => !!e[1]));
  const filtered = !!(filter.q || filter.customerId || filter.status || filter.fetch || filter.firmware);
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
      <SearchForm action="/phones" q={filter.q} label="Search phones" placeholder="MAC, label, serial or customer">
        <CustomerCombobox name="customer" selected={customer} />
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
        <div>
          <label htmlFor="filter-fetch" className="mb-1 block text-sm font-medium text-slate-800">
            Configuration fetch
          </label>
          <AutoSubmitSelect id="filter-fetch" name="fetch" defaultValue={filter.fetch ?? ""} className={inputClass}>
            <option value="">Any</option>
            <option value="never">Registered, never fetched</option>
            <option value="24h">Fetched in the last 24 hours</option>
            <option value="ever">Fetched at least once</option>
            <option value="logging">Sending their log</option>
          </AutoSubmitSelect>
        </div>
        {filter.fetch === "never" && (
          <div>
            <label htmlFor="filter-days" className="mb-1 block text-sm font-medium text-slate-800">
              Registered
            </label>
            <AutoSubmitSelect id="filter-days" name="days" defaultValue={String(filter.neverDays)} className={inputClass}>
              {registeredAgoChoices(filter.neverDays).map((d) => (
                <option key={d} value={d}>
                  {d === 0 ? "Any time" : `At least ${countOf(d, "day")} ago`}
                </option>
              ))}
            </AutoSubmitSelect>
          </div>
        )}
        <div>
          <label htmlFor="filter-firmware" className="mb-1 block text-sm font-medium text-slate-800">
            Firmware
          </label>
          <input id="filter-firmware" name="firmware" defaultValue={filter.firmware ?? ""} placeholder="10.1.33.33" className={inputClass} />
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
          {hasPermission(user.role, "phones:write") && (
            <BulkActions action={bulkPhonesAction} filter={params} total={phones.total} canRepoint={hasPermission(user.role, "org:manage")}
              canDelete={hasPermission(user.role, "phones:bulk-delete")}
            />
          )}
          <PhoneTable
            phones={phones.items}
            showCustomer
            sandbox={org.rdsEndpointKind === "SANDBOX"}
            serviceDown={org.circuitOpenedAt !== null}
            selectForm={BULK_FORM_ID}
          />
          <Pagination
            page={phones.page}
            pageCount={phones.pageCount}
            total={phones.total}
            totalIsLowerBound={phones.totalIsLowerBound}
            basePath="/phones"
            noun="phone"
            params={params}
          />
        </>
      )}
    </>
  );
}
