"use client";
import { useActionState } from "react";
import { updateUserAccessAction } from "@/app/(portal)/users/actions";
import { SubmitButton } from "@/components/ui/submit-button";

export function UserAccessControls({ user }: { user: { id: string; name: string; role: string; disabled: boolean } }) {
  const [state, action] = useActionState(updateUserAccessAction, {});
  return (
    <div className="space-y-1">
      <div className="flex flex-wrap gap-2">
        <form action={action}>
          <input type="hidden" name="id" value={user.id} />
          <input type="hidden" name="role" value={user.role === "ADMIN" ? "SALES" : "ADMIN"} />
          <SubmitButton size="sm" variant="secondary" aria-label={`Make ${user.name} ${user.role === "ADMIN" ? "sales" : "admin"}`}>
            {user.role === "ADMIN" ? "Make sales" : "Make admin"}
          </SubmitButton>
        </form>
        <form action={action}>
          <input type="hidden" name="id" value={user.id} />
          <input type="hidden" name="disabled" value={user.disabled ? "false" : "true"} />
          <SubmitButton size="sm" variant={user.disabled ? "secondary" : "danger"} aria-label={`${user.disabled ? "Enable" : "Disable"} ${user.name}`}>
            {user.disabled ? "Enable" : "Disable"}
          </SubmitButton>
        </form>
      </div>
      {state.message && !state.ok && <p role="alert" className="text-xs text-red-700">{state.message}</p>}
    </div>
  );
}
