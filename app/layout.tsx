import type { Metadata } from "next";
import { connection } from "next/server";
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
      <body className="min-h-full">{children}</body>
    </html>
  );
}
