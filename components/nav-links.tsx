"use client";

import Link from "next/link";
import { usePathname } from "next/navigation";
import { KeyRound, LayoutDashboard, Radar, ScrollText, Settings } from "lucide-react";

const LINKS = [
  { href: "/", label: "Certificates", icon: LayoutDashboard, isActive: (path: string) => path === "/" || path.startsWith("/certificates") },
  { href: "/endpoints", label: "Endpoints", icon: Radar, isActive: (path: string) => path.startsWith("/endpoints") },
  { href: "/accounts", label: "ACME accounts", icon: KeyRound, isActive: (path: string) => path.startsWith("/accounts") },
  { href: "/audit", label: "Audit log", icon: ScrollText, isActive: (path: string) => path.startsWith("/audit") },
  { href: "/settings", label: "Settings", icon: Settings, isActive: (path: string) => path.startsWith("/settings") },
];

export function NavLinks() {
  const pathname = usePathname();
  return (
    <ul className="flex flex-col gap-1">
      {LINKS.map(({ href, label, icon: Icon, isActive }) => {
        const active = isActive(pathname);
        return (
          <li key={href}>
            <Link
              href={href}
              aria-current={active ? "page" : undefined}
              className={`flex items-center gap-2 rounded-md px-2.5 py-2 text-sm md:py-1.5 ${
                active
                  ? "bg-zinc-200/70 font-medium text-zinc-900 dark:bg-zinc-800 dark:text-white"
                  : "text-zinc-600 hover:bg-zinc-100 hover:text-zinc-900 dark:text-zinc-400 dark:hover:bg-zinc-800/60 dark:hover:text-white"
              }`}
            >
              <Icon aria-hidden className="h-4 w-4" />
              {label}
            </Link>
          </li>
        );
      })}
    </ul>
  );
}
