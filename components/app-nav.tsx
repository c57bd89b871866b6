"use client";

import { useEffect, useRef, useState, type ReactNode } from "react";
import Link from "next/link";
import { usePathname } from "next/navigation";
import { Menu, ShieldCheck, X } from "lucide-react";
import { NavLinks } from "@/components/nav-links";

/**
 * The dashboard's navigation: a sidebar from the md breakpoint on; below it a top bar whose
 * Menu button opens the same links (and `footer`: server time, user, sign out) as a panel over
 * the page. The panel closes on navigation, on Escape (focus back on the button) and on a tap
 * outside it. One copy of the links in the page, whatever the width.
 */
export function AppNav({ footer }: { footer: ReactNode }) {
  const pathname = usePathname();
  const [isOpen, setIsOpen] = useState(false);
  const [openedOn, setOpenedOn] = useState(pathname);
  const button = useRef<HTMLButtonElement>(null);
  // A navigation closes the panel (adjusting state while rendering, not in an effect).
  if (openedOn !== pathname) {
    setOpenedOn(pathname);
    setIsOpen(false);
  }

  useEffect(() => {
    if (!isOpen) return;
    const onKeyDown = (event: KeyboardEvent) => {
      if (event.key !== "Escape") return;
      setIsOpen(false);
      button.current?.focus();
    };
    document.addEventListener("keydown", onKeyDown);
    return () => document.removeEventListener("keydown", onKeyDown);
  }, [isOpen]);

  return (
    // The aside runs the page's full height (its border and background); what is inside stays
    // in view while the page scrolls.
    <aside className="sticky top-0 z-30 shrink-0 border-b border-zinc-200 bg-white md:static md:w-56 md:border-b-0 md:border-r dark:border-zinc-800 dark:bg-zinc-900">
      <div className="relative flex flex-col md:sticky md:top-0 md:h-screen md:gap-4 md:px-3 md:py-3">
        <div className="flex h-12 items-center justify-between px-3 md:h-auto md:px-0">
          <Link href="/" className="flex items-center gap-2 rounded-md px-2 py-1">
            <ShieldCheck aria-hidden className="h-6 w-6 text-blue-600 dark:text-blue-400" />
            <span className="font-semibold tracking-tight">CertDeck</span>
          </Link>
          <button
            ref={button}
            type="button"
            aria-expanded={isOpen}
            aria-controls="app-menu"
            onClick={() => setIsOpen((open) => !open)}
            className="inline-flex h-9 items-center gap-1.5 rounded-md px-2.5 text-sm font-medium text-zinc-700 hover:bg-zinc-100 md:hidden dark:text-zinc-300 dark:hover:bg-zinc-800"
          >
            {isOpen ? <X aria-hidden className="h-5 w-5" /> : <Menu aria-hidden className="h-5 w-5" />}
            Menu
          </button>
        </div>
        {isOpen && <div aria-hidden className="fixed inset-0 top-12 z-0 bg-black/30 md:hidden" onClick={() => setIsOpen(false)} />}
        <div
          id="app-menu"
          className={`${isOpen ? "flex" : "hidden"} absolute inset-x-0 top-full z-10 max-h-[calc(100vh-3rem)] flex-col gap-4 overflow-y-auto border-b border-zinc-200 bg-white px-3 pb-4 pt-2 shadow-lg md:static md:flex md:max-h-none md:flex-1 md:border-0 md:p-0 md:shadow-none dark:border-zinc-800 dark:bg-zinc-900`}
        >
          <nav aria-label="Main">
            <NavLinks />
          </nav>
          <div className="md:mt-auto">{footer}</div>
        </div>
      </div>
    </aside>
  );
}
