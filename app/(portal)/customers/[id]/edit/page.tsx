import { notFound } from "next/navigation";
import { requirePermission } from "@/lib/auth/guards";
import { getCustomer } from "@/lib/data/customers";
import { Card, PageHeader } from "@/components/ui/card";
import { CustomerForm } from "@/components/customers/customer-form";
import { DeleteCustomerForm } from "@/components/customers/delete-customer-form";
import { updateCustomerAction } from "../../actions";

export const metadata = { title: "Edit customer" };

export default async function EditCustomerPage({ params }: { params: Promise<{ id: string }> }) {
  const user = await requirePermission("customers:write");
  const customer = await getCustomer(user, (await params).id);
  if (!customer) notFound();
  return (
    <>
      <PageHeader title={`Edit ${customer.name}`} />
      <Card>
        <CustomerForm action={updateCustomerAction} customer={customer} submitLabel="Save changes" />
      </Card>
      <Card className="mt-6 border-red-200">
        <h2 className="font-semibold text-red-900">Delete customer</h2>
        <p className="mt-1 mb-3 text-sm text-slate-600">Only a customer without phones can be deleted.</p>
        <DeleteCustomerForm customerId={customer.id} phoneCount={customer._count.phones} />
      </Card>
    </>
  );
}
