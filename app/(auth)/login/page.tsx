import { redirect } from "next/navigation";
import { getCurrentUser, needsSetup } from "@/lib/auth/guards";
import { Alert, Card } from "@/components/ui/card";
import { LoginForm } from "@/components/auth/login-form";
import { safeCallbackPath } from "@/lib/auth/callback";
import { EmailSchema } from "@/lib/auth/schemas";
import { SESSION_ENDED_REASON } from "@/lib/auth/session-ended";

export const metadata = { title: "Sign in" };
export const dynamic = "force-dynamic";

const NOTICES: Record<string, string> = {
  "password-changed": "Your password was changed and every session ended. Sign in with the new password.",
  "setup-done": "Your organization is set up. Sign in with the e-mail and password you just chose.",
  [SESSION_ENDED_REASON]: "Your session ended. Sign in again.",
};

/** The notices after which the `email` parameter prefills the form (the user just chose this account's password). */
const PREFILL_AFTER = new Set(["setup-done", "password-changed"]);

/** Longest `email` parameter even looked at: an address has at most 254 characters (RFC 5321). */
const MAX_EMAIL_PARAM = 254;

/**
 * The e-mail to prefill the form with, after the first-run setup (`/login?setup=done&email=…`) or a
 * change of one's own password (`/login?reason=password-changed&email=…`, which ended the session):
 * only a string of at most MAX_EMAIL_PARAM characters that EmailSchema accepts (normalised as
 * sign-in normalises it); anything else (a list, a longer or invalid text) is ignored.
 */
function prefillEmail(raw: unknown): string | undefined {
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
  const { callbackUrl, reason, setup, email } = await searchParams;
  const next = safeCallbackPath(callbackUrl);
  // Already signed in again (e.g. in another tab): straight back to the page the link came from.
  if (await getCurrentUser()) redirect(next);
  // Only the fixed notices above: the parameter's text is never shown.
  const noticeKey = setup === "done" ? "setup-done" : String(reason);
  const notice = Object.hasOwn(NOTICES, noticeKey) ? NOTICES[noticeKey] : undefined;
  return (
    <Card>
      <h1 className="mb-4 text-xl font-semibold">Sign in</h1>
      {notice && (
        <Alert tone="info" className="mb-4">
          {notice}
        </Alert>
      )}
      <LoginForm next={next} email={PREFILL_AFTER.has(noticeKey) ? prefillEmail(email) : undefined} />
    </Card>
  );
}
