import Link from "next/link";
import { formatMac } from "@/lib/mac";
import { Table, Td, Th } from "@/components/ui/table";
import { StatusBadge } from "./status-badge";
import { SyncDetail, type SyncFields } from "./sync-detail";

export type PhoneRow = SyncFields & {
  id: string;
  mac: string;
  label: string | null;
  model: string | null;
  customer: { id: string; name: string };
};

/**
 * On a narrow screen the Customer (below 768 px) and Label (below 640 px) columns are hidden: their
 * values go on a second line under the MAC, so a row still says whose phone it is.
 */
function NarrowSecondLine({ customer, label }: { customer: string | null; label: string | null }) {
  if (!customer && !label) return null;
  return (
    <span className="block text-xs break-words text-slate-600 md:hidden" data-testid="phone-row-detail">
      {customer && <span>{customer}</span>}
      {customer && label && <span className="sm:hidden"> · </span>}
      {label && <span className="sm:hidden">{label}</span>}
    </span>
  );
}

/** `selectForm`: id of a bulk-action form; each row then gets a checkbox that belongs to it. */
export function PhoneTable({
  phones,
  showCustomer,
  sandbox,
  serviceDown,
  selectForm,
}: {
  phones: PhoneRow[];
  showCustomer?: boolean;
  sandbox?: boolean;
  /** The organization's circuit is open (StatusBadge). */
  serviceDown?: boolean;
  selectForm?: string;
}) {
  return (
    <Table>
      <thead>
        <tr>
          {selectForm && (
            <Th>
              <span className="sr-only">Select</span>
            </Th>
          )}
          <Th>MAC</Th>
          {showCustomer && <Th className="hidden md:table-cell">Customer</Th>}
          <Th className="hidden sm:table-cell">Label</Th>
          <Th className="hidden sm:table-cell">Model</Th>
          <Th>Status</Th>
        </tr>
      </thead>
      <tbody className="divide-y divide-slate-100">
        {phones.map((p) => (
          <tr key={p.id} className="hover:bg-slate-50" data-mac={p.mac}>
            {selectForm && (
              <Td>
                <input type="checkbox" name="phoneId" value={p.id} form={selectForm} aria-label={`Select ${p.mac}`} />
              </Td>
            )}
            <Td>
              <Link href={`/phones/${p.id}`} className="font-mono font-medium text-sky-800 hover:underline" title={formatMac(p.mac)}>
                {p.mac}
              </Link>
              <NarrowSecondLine customer={showCustomer ? p.customer.name : null} label={p.label} />
            </Td>
            {showCustomer && (
              <Td className="hidden md:table-cell">
                <Link href={`/customers/${p.customer.id}`} className="hover:underline">
                  {p.customer.name}
                </Link>
              </Td>
            )}
            <Td className="hidden sm:table-cell">{p.label}</Td>
            <Td className="hidden sm:table-cell">{p.model}</Td>
            <Td>
              <StatusBadge status={p.syncStatus} sandbox={sandbox} serviceDown={serviceDown} />
              <SyncDetail phone={p} />
            </Td>
          </tr>
        ))}
      </tbody>
    </Table>
  );
}
