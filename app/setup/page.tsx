import { notFound } from "next/navigation";
import { needsSetup } from "@/lib/auth/guards";
import { Card } from "@/components/ui/card";
import { SetupForm } from "./setup-form";

export const metadata = { title: "First-run setup" };
export const dynamic = "force-dynamic";

/** Exists only while the portal has no user; afterwards it is gone for good. */
export default async function SetupPage() {
  if (!(await needsSetup())) notFound();
  return (
    <main className="flex min-h-screen items-center justify-center px-4 py-12">
      <Card className="w-full max-w-lg">
        <h1 className="text-xl font-semibold">Set up the portal</h1>
        <p className="mt-1 mb-5 text-sm text-slate-600">
          Create your organization and its first admin. You can add sales staff afterwards.
        </p>
        <SetupForm />
      </Card>
    </main>
  );
}
