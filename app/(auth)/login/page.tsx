import { redirect } from "next/navigation";
import { getCurrentUser, needsSetup } from "@/lib/auth/guards";
import { Alert, Card } from "@/components/ui/card";
import { LoginForm } from "@/components/auth/login-form";
import { safeCallbackPath } from "@/lib/auth/callback";
import { EmailSchema } from "@/lib/auth/schemas";

export const metadata = { title: "Sign in" };
export const dynamic = "force-dynamic";

const NOTICES: Record<string, string> = {
  "password-changed": "Your password was changed and every session ended. Sign in with the new password.",
  "setup-done": "Your organization is set up. Sign in with the e-mail and password you just chose.",
};

/** Longest `email` parameter even looked at: an address has at most 254 characters (RFC 5321). */
const MAX_EMAIL_PARAM = 254;

/**
 * The e-mail the first-run setup just created (`/login?setup=done&email=…`), to prefill the form:
 * only a string of at most MAX_EMAIL_PARAM characters that EmailSchema accepts (normalised as
 * sign-in normalises it); anything else (a list, a longer or invalid text) is ignored.
 */
function setupEmail(raw: unknown): string | undefined {
  if (typeof raw !== "string" || raw.length > MAX_EMAIL_PARAM) return undefined;
  const parsed = EmailSchema.safeParse(raw);
  return parsed.success ? parsed.data : undefined;
}

export default async function LoginPage({
  searchParams,
}: {
  searchParams: Promise<{ callbackUrl?: string; reason?: string; setup?: string; email?: string | string[] }>;
}) {
  if (await needsSetup()) redirect("/setup");
  if (await getCurrentUser()) redirect("/");
  const { callbackUrl, reason, setup, email } = await searchParams;
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
      <LoginForm next={next} email={setup === "done" ? setupEmail(email) : undefined} />
    </Card>
  );
}
