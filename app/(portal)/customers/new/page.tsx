import { requirePermission } from "@/lib/auth/guards";
import { Card, PageHeader } from "@/components/ui/card";
import { CustomerForm } from "@/components/customers/customer-form";
import { createCustomerAction } from "../actions";

export const metadata = { title: "New customer" };

export default async function NewCustomerPage() {
  await requirePermission("customers:write");
  return (
    <>
      <PageHeader title="New customer" />
      <Card>
        <CustomerForm action={createCustomerAction} submitLabel="Create customer" />
      </Card>
    </>
  );
}
