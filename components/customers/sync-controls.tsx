"use client";
import { useActionState } from "react";
import { syncCustomerAction } from "@/app/(portal)/customers/actions";
import { SubmitButton } from "@/components/ui/submit-button";

export function SyncControls({ customerId, troubleCount }: { customerId: string; troubleCount: number }) {
  const [state, action] = useActionState(syncCustomerAction, {});
  return (
    <div className="flex flex-wrap items-center gap-2">
      <form action={action}>
        <input type="hidden" name="id" value={customerId} />
        <input type="hidden" name="scope" value="all" />
        <SubmitButton size="sm" variant="secondary" pendingText="Queuing…">
          Sync now
        </SubmitButton>
      </form>
      <form action={action}>
        <input type="hidden" name="id" value={customerId} />
        <input type="hidden" name="scope" value="failed" />
        <SubmitButton size="sm" variant="secondary" disabled={troubleCount === 0} pendingText="Queuing…">
          Retry all failed ({troubleCount})
        </SubmitButton>
      </form>
      {state.message && (
        <span role="status" className="text-sm text-slate-700">
          {state.message}
        </span>
      )}
    </div>
  );
}
