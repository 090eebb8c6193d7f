import { redirect } from "next/navigation";
import { getCurrentUser, needsSetup } from "@/lib/auth/guards";
import { Alert, Card } from "@/components/ui/card";
import { LoginForm } from "@/components/auth/login-form";
import { safeCallbackPath } from "@/lib/auth/callback";

export const metadata = { title: "Sign in" };
export const dynamic = "force-dynamic";

const NOTICES: Record<string, string> = {
  "password-changed": "Your password was changed and every session ended. Sign in with the new password.",
  "setup-done": "Your organization is set up. Sign in with the e-mail and password you just chose.",
};

export default async function LoginPage({
  searchParams,
}: {
  searchParams: Promise<{ callbackUrl?: string; reason?: string; setup?: string }>;
}) {
  if (await needsSetup()) redirect("/setup");
  if (await getCurrentUser()) redirect("/");
  const { callbackUrl, reason, setup } = await searchParams;
  const notice = NOTICES[setup === "done" ? "setup-done" : String(reason)];
  const next = safeCallbackPath(callbackUrl);
  return (
    <Card>
      <h1 className="mb-4 text-xl font-semibold">Sign in</h1>
      {notice && (
        <Alert tone="info" className="mb-4">
          {notice}
        </Alert>
      )}
      <LoginForm next={next} />
    </Card>
  );
}
