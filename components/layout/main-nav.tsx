"use client";
import Link from "next/link";
import { usePathname } from "next/navigation";
import { useEffect, useId, useRef, useState } from "react";
import { Menu, X } from "lucide-react";
import { cn } from "@/lib/utils";

/**
 * The portal's main navigation, one set of links for every width: inline in the top bar from 1024 px
 * (`lg`), where all seven fit on one line with the account and Sign out (new users found: the bar wrapped
 * at 1366 px); below that a "Menu" disclosure button opens them as a list under the bar (a phone at
 * 390 px, where it also names the account the bar has no room for). Keyboard: Tab reaches the button, Enter/Space toggles it, Escape closes it and returns
 * focus to it, a click outside it or focus moving out of it or any route change (Back included) closes it too; the links are ordinary links in tab order while shown.
 */
export function MainNav({ links, account }: { links: { href: string; label: string }[]; account: string }) {
  const pathname = usePathname();
  const [open, setOpen] = useState(false);
  const listId = useId();
  const navRef = useRef<HTMLElement>(null);
  // Any route change closes it, the browser's Back and Forward included (a link click alone missed those).
  const [shownFor, setShownFor] = useState(pathname);
  if (shownFor !== pathname) {
    setShownFor(pathname);
    setOpen(false);
  }
  // An open menu covers the page: a click or tap outside it, or focus leaving it, closes it.
  useEffect(() => {
    if (!open) return;
    const closeIfOutside = (e: Event) => {
      if (e.target instanceof Node && !navRef.current?.contains(e.target)) setOpen(false);
    };
    document.addEventListener("pointerdown", closeIfOutside);
    document.addEventListener("focusin", closeIfOutside);
    return () => {
      document.removeEventListener("pointerdown", closeIfOutside);
      document.removeEventListener("focusin", closeIfOutside);
    };
  }, [open]);
  return (
    <nav
      ref={navRef}
      aria-label="Main"
      className="text-sm lg:shrink-0"
      onKeyDown={(e) => {
        if (e.key === "Escape" && open) {
          setOpen(false);
          (e.currentTarget.querySelector("button[aria-controls]") as HTMLButtonElement | null)?.focus();
        }
      }}
    >
      <button
        type="button"
        aria-expanded={open}
        aria-controls={listId}
        onClick={() => setOpen((o) => !o)}
        className="inline-flex h-8 items-center gap-1.5 rounded-md border border-slate-300 bg-white px-2.5 font-medium text-slate-800 hover:bg-slate-50 focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-sky-600 lg:hidden"
      >
        {open ? <X className="size-4" aria-hidden /> : <Menu className="size-4" aria-hidden />}
        Menu
      </button>
      <ul
        id={listId}
        className={cn(
          "lg:flex lg:items-center lg:gap-0.5",
          open
            ? "absolute inset-x-0 top-full z-20 flex flex-col gap-1 border-b border-slate-200 bg-white px-4 py-2 shadow-sm lg:static lg:flex-row lg:border-0 lg:p-0 lg:shadow-none"
            : "hidden",
        )}
      >
        {links.map((l) => {
          const active = l.href === "/" ? pathname === "/" : pathname.startsWith(l.href);
          return (
            <li key={l.href}>
              <Link
                href={l.href}
                aria-current={active ? "page" : undefined}
                onClick={() => setOpen(false)}
                className={cn(
                  "block rounded-md px-2.5 py-1.5 font-medium whitespace-nowrap",
                  active ? "bg-sky-50 text-sky-800" : "text-slate-700 hover:bg-slate-100",
                )}
              >
                {l.label}
              </Link>
            </li>
          );
        })}
        {/* Below 640 px the bar has no room for the account; the open menu names it. */}
        <li className="border-t border-slate-100 px-2.5 pt-2 text-xs text-slate-600 sm:hidden">
          Signed in as {account}
        </li>
      </ul>
    </nav>
  );
}
