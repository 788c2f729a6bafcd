import type { Metadata } from "next";
import { DemoBanner } from "@/components/demo-banner";
import "./globals.css";

// Every page depends on the session, the CSP nonce and live data.
export const dynamic = "force-dynamic";

export const metadata: Metadata = {
  title: { default: "Warrant", template: "%s · Warrant" },
  description: "Govern AI coding tools as non-human identities.",
};

export default function RootLayout({ children }: { children: React.ReactNode }) {
  return (
    <html lang="en">
      <body className="min-h-screen">
        <DemoBanner />
        {children}
      </body>
    </html>
  );
}
