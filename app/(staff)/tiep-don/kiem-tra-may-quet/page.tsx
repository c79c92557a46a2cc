import { staffPage } from '@/app/_lib/staff-page';
import { ScannerTestBench } from '@/components/scan/scanner-test-bench';

export const dynamic = 'force-dynamic';

/** "Kiểm tra máy quét": IT or a receptionist tries every scanner input and sees what the desk reads. */
export default async function Page() {
  return staffPage('desk', ({ t }) => (
    <section className="flex flex-col gap-4">
      <div>
        <h1 className="text-2xl font-semibold">{t.scan.testTitle}</h1>
        <p className="mt-1 max-w-3xl text-slate-600">{t.scan.testIntro}</p>
      </div>
      <ScannerTestBench text={t.scan} />
    </section>
  ));
}
