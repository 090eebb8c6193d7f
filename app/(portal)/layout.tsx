import { requireUser } from "@/lib/auth/guards";
import { hasPermission } from "@/lib/auth/roles";
import { getOrganization } from "@/lib/data/organizations";
import { MainNav } from "@/components/layout/main-nav";
import { SignOutButton } from "@/components/layout/sign-out-button";
import { SandboxBanner, PausedBanner } from "@/components/layout/banners";
import { ServiceDownBanner } from "@/components/layout/service-banner";
import { LiveRefresh } from "@/components/layout/live-refresh";
import { LiveSessionNotice, LiveSessionProvider } from "@/components/layout/live-session";
import { getSyncOverview } from "@/lib/data/sync-overview";

export const dynamic = "force-dynamic";

/** When this render happened: LiveSessionProvider takes a new value as proof the session holds. */
function renderTime(): number {
  return Date.now();
}

export default async function PortalLayout({ children }: { children: React.ReactNode }) {
  const user = await requireUser();
  const [org, sync] = await Promise.all([getOrganization(user), getSyncOverview(user)]);
  const links = [
    { href: "/", label: "Dashboard" },
    { href: "/customers", label: "Customers" },
    { href: "/phones", label: "Phones" },
    ...(hasPermission(user.role, "users:manage") ? [{ href: "/users", label: "Users" }] : []),
    ...(hasPermission(user.role, "audit:read") ? [{ href: "/audit", label: "Audit log" }] : []),
    ...(hasPermission(user.role, "org:manage") ? [{ href: "/reconcile", label: "Reconcile" }] : []),
    { href: "/settings", label: "Settings" },
  ];
  return (
    <LiveSessionProvider userId={user.id} renderedAt={renderTime()}>
      <div className="min-h-screen">
        {/* One line from 1024 px up: the account text shrinks (truncated, full text in its title) before
          anything wraps; below that the links move into MainNav's menu (a new user's finding). */}
        <header className="relative border-b border-slate-200 bg-white">
          <div className="mx-auto flex max-w-6xl items-center gap-3 px-4 py-2.5 lg:gap-5">
            <span className="shrink-0 font-semibold whitespace-nowrap text-sky-800">Redirection Portal</span>
            <MainNav links={links} account={`${user.name} · ${org.name}`} />
            <div className="ml-auto flex min-w-0 items-center gap-3 text-sm text-slate-600">
              <span className="hidden min-w-0 text-right leading-tight sm:block" title={`${user.name} · ${org.name}`}>
                <span className="block truncate font-medium text-slate-800">{org.name}</span>
                <span className="block truncate text-xs">{user.name}</span>
              </span>
              <SignOutButton />
            </div>
          </div>
        </header>
        {org.rdsEndpointKind === "SANDBOX" && <SandboxBanner isAdmin={hasPermission(user.role, "org:manage")} />}
        {org.rdsPausedAt && (
          <PausedBanner reason={org.rdsPausedReason} isAdmin={hasPermission(user.role, "org:manage")} />
        )}
        <ServiceDownBanner
          circuit={sync.circuit}
          canCheck={hasPermission(user.role, "phones:sync")}
          inProgress={sync.inProgress}
        />
        <LiveRefresh version={sync.version} active={sync.inProgress > 0 || sync.circuit !== null} />
        <LiveSessionNotice />
        <main className="mx-auto max-w-6xl px-4 py-8">{children}</main>
      </div>
    </LiveSessionProvider>
  );
}
