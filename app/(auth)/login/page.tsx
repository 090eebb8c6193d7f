import { redirect } from "next/navigation";
import { getCurrentUser, needsSetup } from "@/lib/auth/guards";
import { Card } from "@/components/ui/card";
import { LoginForm } from "@/components/auth/login-form";
import { safeCallbackPath } from "@/lib/auth/callback";

export const metadata = { title: "Sign in" };
export const dynamic = "force-dynamic";

export default async function LoginPage({ searchParams }: { searchParams: Promise<{ callbackUrl?: string }> }) {
  if (await needsSetup()) redirect("/setup");
  if (await getCurrentUser()) redirect("/");
  const { callbackUrl } = await searchParams;
  const next = safeCallbackPath(callbackUrl);
  return (
    <Card>
      <h1 className="mb-4 text-xl font-semibold">Sign in</h1>
      <LoginForm next={next} />
    </Card>
  );
}
