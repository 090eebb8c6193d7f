"use client";
import { signIn } from "next-auth/react";
import { useRouter } from "next/navigation";
import { useState, useTransition } from "react";
import { InputField } from "@/components/ui/field";
import { Button } from "@/components/ui/button";
import { Alert } from "@/components/ui/card";

// Mirrors SIGN_IN_PAUSED in lib/auth/options.ts (a server-only module).
const SIGN_IN_PAUSED = "SignInPaused:";

/**
 * The sign-in form. `email` (already validated by the page) prefills the e-mail and puts the focus
 * on the password, e.g. right after the first-run setup created the account.
 */
export function LoginForm({ next, email }: { next: string; email?: string }) {
  const router = useRouter();
  const [error, setError] = useState<string | null>(null);
  const [pending, startTransition] = useTransition();

  function onSubmit(e: React.FormEvent<HTMLFormElement>) {
    e.preventDefault();
    const form = new FormData(e.currentTarget);
    setError(null);
    startTransition(async () => {
      const res = await signIn("credentials", {
        email: String(form.get("email") ?? ""),
        password: String(form.get("password") ?? ""),
        redirect: false,
      });
      if (res?.error === "AccountDisabled") {
        setError("This account is disabled. Ask an admin of your organization to enable it.");
        return;
      }
      if (res?.error?.startsWith(SIGN_IN_PAUSED)) {
        // "Too many attempts. Try again in 2 minutes." (the same for existing and unknown e-mails).
        setError(res.error.slice(SIGN_IN_PAUSED.length));
        return;
      }
      if (!res || res.error) {
        // The same message for an unknown e-mail and a wrong password.
        setError("E-mail or password is not correct. After repeated failures, sign-in pauses for a while.");
        return;
      }
      router.replace(next);
      router.refresh();
    });
  }

  return (
    <form onSubmit={onSubmit} className="space-y-4" noValidate>
      {error && <Alert tone="error">{error}</Alert>}
      <InputField label="E-mail" name="email" type="email" autoComplete="username" required defaultValue={email} />
      <InputField
        label="Password"
        name="password"
        type="password"
        autoComplete="current-password"
        required
        autoFocus={email !== undefined}
      />
      <Button type="submit" className="w-full" disabled={pending}>
        {pending ? "Signing in…" : "Sign in"}
      </Button>
    </form>
  );
}
