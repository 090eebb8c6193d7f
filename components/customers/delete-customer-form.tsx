"use client";
import Link from "next/link";
import { useActionState } from "react";
import { deleteCustomerAction } from "@/app/(portal)/customers/actions";
import { SubmitButton } from "@/components/ui/submit-button";
import { Alert } from "@/components/ui/card";
import { countOf } from "@/lib/format";

export function DeleteCustomerForm({ customerId, phoneCount }: { customerId: string; phoneCount: number }) {
  const [state, action] = useActionState(deleteCustomerAction, {});
  if (phoneCount > 0) {
    return (
      <p className="text-sm text-slate-700">
        This customer still has {countOf(phoneCount, "phone")}: move or delete{" "}
        {phoneCount === 1 ? "it" : "them"} first.{" "}
        <Link className="text-sky-700 underline" href={`/phones?customer=${customerId}`}>
          Go to its phones
        </Link>
      </p>
    );
  }
  return (
    <form
      action={action}
      onSubmit={(e) => {
        if (!confirm("Delete this customer? This cannot be undone.")) e.preventDefault();
      }}
      className="space-y-3"
    >
      {state.message && (
        <Alert tone="error">
          {state.message}{" "}
          {state.data?.hasPhones ? (
            <Link className="underline" href={`/phones?customer=${customerId}`}>
              Go to its phones
            </Link>
          ) : null}
        </Alert>
      )}
      <input type="hidden" name="id" value={customerId} />
      <SubmitButton variant="danger" pendingText="Deleting…">
        Delete customer
      </SubmitButton>
    </form>
  );
}
