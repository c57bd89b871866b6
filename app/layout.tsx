import type { Metadata } from "next";
import "./globals.css";

export const metadata: Metadata = {
  title: { default: "CertDeck", template: "%s · CertDeck" },
  description: "Issue, renew and watch TLS certificates over ACME",
};

export default function RootLayout({ children }: { children: React.ReactNode }) {
  return (
    <html lang="en" className="h-full">
      <body className="min-h-full">{children}</body>
    </html>
  );
}
