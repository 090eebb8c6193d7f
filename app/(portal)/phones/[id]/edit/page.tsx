import { notFound } from "next/navigation";
import { requirePermission } from "@/lib/auth/guards";
import { getPhone } from "@/lib/data/phones";
import { listCustomerChoices } from "@/lib/data/customers";
import { Card, PageHeader } from "@/components/ui/card";
import { EditPhoneForm } from "@/components/phones/edit-phone-form";

export const metadata = { title: "Edit phone" };

export default async function EditPhonePage({ params }: { params: Promise<{ id: string }> }) {
  const user = await requirePermission("phones:write");
  const { id } = await params;
  const phone = await getPhone(user, id);
  if (!phone || phone.deletedAt) notFound();
  const customers = await listCustomerChoices(user);
  return (
    <>
      <PageHeader title={`Edit phone ${phone.mac}`} />
      <Card>
        <EditPhoneForm
          phone={{
            id: phone.id,
            label: phone.label,
            model: phone.model,
            serial: phone.serial,
            urlOverride: phone.urlOverride,
            customerId: phone.customer.id,
          }}
          customers={customers}
        />
      </Card>
    </>
  );
}
