import { requirePermission } from "@/lib/auth/guards";
import { listAuditEvents, listAuditUsers, parseAuditFilter } from "@/lib/data/audit";
import Link from "next/link";
import { AUDIT_ACTIONS, isAuditAction } from "@/lib/audit/events";
import { auditTargetHref } from "@/lib/audit/summary";
import { Alert, EmptyState, PageHeader } from "@/components/ui/card";
import { buttonVariants } from "@/components/ui/button";
import { SearchForm } from "@/components/ui/search-form";
import { AutoSubmitSelect } from "@/components/ui/auto-submit-select";
import { inputClass } from "@/components/ui/field";
import { Pagination } from "@/components/ui/pagination";
import { Table, Td, Th } from "@/components/ui/table";
import { LocalTime } from "@/components/ui/local-time";

export const metadata = { title: "Audit log" };

const label = "mb-1 block text-sm font-medium text-slate-800";

/** The filters' names as their fields are labelled, for the "not applied" notice (not the URL's keys). */
const FILTER_LABELS: Record<string, string> = { action: "Action", user: "User", from: "From", to: "To", q: "Search" };

export default async function AuditPage({
  searchParams,
}: {
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  // Admins only; others get a 403 that says so (app/(portal)/audit/forbidden.tsx).
  const user = await requirePermission("audit:read");
  const { filter, errors } = parseAuditFilter(await searchParams);
  const [events, users] = await Promise.all([listAuditEvents(user, filter), listAuditUsers(user)]);
  const params = { action: filter.action, user: filter.user, from: filter.from, to: filter.to, q: filter.q };
  const exportParams = new URLSearchParams(Object.entries(params).filter((e): e is [string, string] => !!e[1]));
  const filtered = Object.values(params).some(Boolean);
  return (
    <>
      <PageHeader title="Audit log">
        <a className={buttonVariants({ variant: "secondary" })} href={`/audit/export?${exportParams}`}>
          Export CSV
        </a>
        <a
          className={buttonVariants({ variant: "secondary" })}
          href={`/audit/export?${new URLSearchParams([...exportParams, ["sep", "semicolon"]])}`}
          title="Semicolon-separated, as Excel expects with German (decimal comma) settings"
        >
          Export for Excel (;)
        </a>
      </PageHeader>
      <p className="mb-4 text-sm text-slate-600">
        Every change made in your organization and every sign-in, kept for at least 400 days. Times are in your time
        zone (the UTC time shows when you point at one); the CSV export lists them in UTC.
      </p>
      {Object.keys(errors).length > 0 && (
        <Alert tone="error" className="mb-4">
          Some filters were not applied:{" "}
          {Object.entries(errors)
            .map(([k, v]) => `${FILTER_LABELS[k] ?? k}: ${v}`)
            .join(" ")}
        </Alert>
      )}
      <SearchForm
        action="/audit"
        q={filter.q}
        label="Search summaries"
        placeholder="Text in the summary or the user's e-mail"
      >
        <div>
          <label htmlFor="filter-action" className={label}>
            Action
          </label>
          <AutoSubmitSelect id="filter-action" name="action" defaultValue={filter.action ?? ""} className={inputClass}>
            <option value="">Any action</option>
            {Object.entries(AUDIT_ACTIONS).map(([value, text]) => (
              <option key={value} value={value}>
                {text}
              </option>
            ))}
          </AutoSubmitSelect>
        </div>
        <div>
          <label htmlFor="filter-user" className={label}>
            User
          </label>
          <AutoSubmitSelect id="filter-user" name="user" defaultValue={filter.user ?? ""} className={inputClass}>
            <option value="">Any user</option>
            {users.map((u) => (
              <option key={u.id} value={u.id}>
                {u.email}
              </option>
            ))}
          </AutoSubmitSelect>
        </div>
        <div>
          <label htmlFor="filter-from" className={label}>
            From
          </label>
          <input id="filter-from" name="from" type="date" defaultValue={filter.from} className={inputClass} />
        </div>
        <div>
          <label htmlFor="filter-to" className={label}>
            To
          </label>
          <input id="filter-to" name="to" type="date" defaultValue={filter.to} className={inputClass} />
        </div>
      </SearchForm>
      {events.items.length === 0 ? (
        <EmptyState title={filtered ? "No event matches these filters" : "Nothing recorded yet"} />
      ) : (
        <>
          {/* On a phone each event is a small card, as in the import preview: time and user on top,
              then what was done and its summary; the address only from 640 px. */}
          <Table aria-label="Audit events" className="max-sm:block">
            <thead className="max-sm:sr-only">
              <tr>
                <Th>Time</Th>
                <Th>User</Th>
                <Th>Action</Th>
                <Th>Summary</Th>
                <Th className="max-sm:hidden">Address</Th>
              </tr>
            </thead>
            <tbody className="divide-y divide-slate-100 max-sm:block">
              {events.items.map((e) => (
                <tr key={e.id} className="max-sm:flex max-sm:flex-wrap max-sm:items-baseline max-sm:px-2 max-sm:py-2">
                  <Td className="whitespace-nowrap max-sm:px-2 max-sm:py-0 max-sm:text-slate-600">
                    <LocalTime date={e.createdAt} withSeconds />
                  </Td>
                  <Td className="break-all max-sm:px-2 max-sm:py-0 max-sm:text-slate-600">{e.actorEmail}</Td>
                  <Td className="max-sm:basis-full max-sm:px-2 max-sm:py-0 max-sm:font-medium">
                    {isAuditAction(e.action) ? AUDIT_ACTIONS[e.action] : e.action}
                  </Td>
                  <Td className="break-words max-sm:basis-full max-sm:px-2 max-sm:py-0">
                    <AuditSummary
                      action={e.action}
                      targetType={e.targetType}
                      targetId={e.targetGone ? null : e.targetId}
                      summary={e.summary}
                    />
                  </Td>
                  <Td className="whitespace-nowrap text-slate-600 max-sm:hidden">{e.ipAddress ?? "–"}</Td>
                </tr>
              ))}
            </tbody>
          </Table>
          <Pagination
            page={events.page}
            pageCount={events.pageCount}
            total={events.total}
            basePath="/audit"
            noun="event"
            params={params}
          />
        </>
      )}
    </>
  );
}

/** The summary, linked to the event's target (customer, phone, re-point run …) where it still opens. */
function AuditSummary(props: { action: string; targetType: string; targetId: string | null; summary: string }) {
  const href = auditTargetHref(props.action, props.targetType, props.targetId);
  if (!href) return <>{props.summary}</>;
  return (
    <Link href={href} className="text-sky-800 underline-offset-2 hover:underline">
      {props.summary}
    </Link>
  );
}
