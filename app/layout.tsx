import type { Metadata } from 'next';
import './globals.css';
import { Providers } from '@/components/providers';
import { currentLang } from './_lib/lang';

export const metadata: Metadata = {
  title: 'Tiếp đón',
  description: 'Tiếp nhận người bệnh bằng CCCD, VNeID, số định danh và thẻ BHYT',
  robots: { index: false, follow: false },
};

export default async function RootLayout({ children }: { children: React.ReactNode }) {
  const lang = await currentLang();
  return (
    <html lang={lang}>
      <body className="min-h-screen bg-slate-50 text-slate-900 antialiased">
        <Providers lang={lang}>{children}</Providers>
      </body>
    </html>
  );
}
