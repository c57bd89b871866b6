import type { Metadata } from "next";
import { connection } from "next/server";
import { MAIN_CONTENT_ID, SKIP_LINK_CLASSES } from "@/components/skip-link";
import "./globals.css";

export const metadata: Metadata = {
  title: { default: "CertDeck", template: "%s · CertDeck" },
  description: "Issue, renew and watch TLS certificates over ACME",
};

export default async function RootLayout({ children }: { children: React.ReactNode }) {
  // Render every page per request, the not-found page included: the Content-Security-Policy
  // nonce (proxy.ts) is new for each response, and a page prerendered at build time would carry
  // scripts without it, which the browser refuses.
  await connection();
  return (
    <html lang="en" className="h-full">
      <body className="min-h-full">
        {/* First in the tab order on every page: past the navigation to the page's own content. */}
        <a href={`#${MAIN_CONTENT_ID}`} className={SKIP_LINK_CLASSES}>
          Skip to content
        </a>
        {children}
      </body>
    </html>
  );
}
