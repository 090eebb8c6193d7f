"use client";
import { useActionState } from "react";
import { setUserPasswordAction, updateUserAccessAction } from "@/app/(portal)/users/actions";
import { SubmitButton } from "@/components/ui/submit-button";

export function UserAccessControls({ user }: { user: { id: string; name: string; role: string; disabled: boolean } }) {
  const [state, action] = useActionState(updateUserAccessAction, {});
  const [pwState, setPassword] = useActionState(setUserPasswordAction, {});
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
        <form
          action={action}
          onSubmit={(e) => {
            const question = user.disabled
              ? `Enable ${user.name}? They can sign in again.`
              : `Disable ${user.name}? They are signed out and can no longer sign in.`;
            if (!window.confirm(question)) e.preventDefault();
          }}
        >
          <input type="hidden" name="id" value={user.id} />
          <input type="hidden" name="disabled" value={user.disabled ? "false" : "true"} />
          <SubmitButton size="sm" variant={user.disabled ? "secondary" : "danger"} aria-label={`${user.disabled ? "Enable" : "Disable"} ${user.name}`}>
            {user.disabled ? "Enable" : "Disable"}
          </SubmitButton>
        </form>
      </div>
      {state.message && (
        <p role={state.ok ? "status" : "alert"} className={state.ok ? "text-xs text-emerald-800" : "text-xs text-red-700"}>
          {state.message}
        </p>
      )}
      <details className="text-sm">
        <summary className="cursor-pointer text-sky-700">Set a new password</summary>
        <form action={setPassword} className="mt-2 flex flex-wrap items-end gap-2">
          <input type="hidden" name="id" value={user.id} />
          <label className="text-xs text-slate-700">
            New password for {user.name}
            <input
              name="password"
              type="password"
              autoComplete="new-password"
              aria-invalid={pwState.fieldErrors?.password ? true : undefined}
              className="mt-1 block w-48 rounded-md border border-slate-300 px-2 py-1 text-sm"
            />
          </label>
          <SubmitButton size="sm" variant="secondary" pendingText="Setting…">
            Set password
          </SubmitButton>
        </form>
        {pwState.message && (
          <p role={pwState.ok ? "status" : "alert"} className={pwState.ok ? "text-xs text-emerald-800" : "text-xs text-red-700"}>
            {pwState.fieldErrors?.password?.[0] ?? pwState.message}
          </p>
        )}
      </details>
    </div>
  );
}
