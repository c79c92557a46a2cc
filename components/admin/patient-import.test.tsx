// @vitest-environment jsdom
import { afterEach, expect, it, vi } from 'vitest';
import { cleanup, fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import { vi as viText } from '@/lib/i18n/vi';
import type { ImportJobResponse, UploadPreview } from '@/lib/patients/import/uploads';
import { importCounts } from '@/lib/patients/import/counts';

const resource = vi.hoisted(() => ({
  uploadImportFile: vi.fn(),
  startImport: vi.fn(),
  importJob: vi.fn(),
  listImports: vi.fn(),
  importFileUrl: (id: string, kind: string) => `/api/v1/patient-imports/${id}/${kind}`,
}));
vi.mock('./admin.resource', () => resource);
const { PatientImportPanel } = await import('./patient-import');

afterEach(() => {
  cleanup();
  vi.clearAllMocks();
});

const preview: UploadPreview = {
  upload: 'u1',
  fileName: 'benh-nhan-his.csv',
  bytes: 512,
  format: 'CSV',
  encoding: 'utf-8',
  headerRow: 1,
  columns: [
    { header: 'Ho ten', field: 'fullName' },
    { header: 'Ngay sinh', field: 'birthDate' },
    { header: 'So CCCD', field: 'personalId' },
  ],
  missing: [],
  sample: [],
};
const done = {
  id: 'j1',
  status: 'DONE',
  dryRun: true,
  fileName: 'benh-nhan-his.csv',
  format: 'CSV',
  encoding: 'utf-8',
  progress: 100,
  counts: importCounts({ read: 2, created: 2 }),
  error: null,
  createdAt: '2026-12-01T01:00:00.000Z',
  finishedAt: '2026-12-01T01:00:01.000Z',
  running: false,
  resumable: false,
  upload: 'u1',
} as unknown as ImportJobResponse;

it('a small import already finished when first read still joins the history (CI saw the history stay empty)', async () => {
  resource.uploadImportFile.mockResolvedValue(preview);
  resource.startImport.mockResolvedValue({ jobId: 'j1' });
  resource.importJob.mockResolvedValue(done); // done by the first read: no progress polling happens
  resource.listImports.mockResolvedValueOnce({ imports: [] }).mockResolvedValue({ imports: [done] });
  const t = viText.patientImport;
  render(<PatientImportPanel t={t} maxMb={50} />);
  const panel = screen.getByTestId('patient-import');
  const file = new File(['Ho ten,Ngay sinh\n'], 'benh-nhan-his.csv', { type: 'text/csv' });
  fireEvent.change(panel.querySelector('input[type="file"]')!, { target: { files: [file] } });
  fireEvent.click(await within(panel).findByRole('button', { name: t.dryRun }));
  await waitFor(() => expect(resource.listImports).toHaveBeenCalledTimes(2));
  const history = await within(panel).findByRole('heading', { name: t.history });
  expect(history.parentElement!.textContent).toContain('benh-nhan-his.csv');
});
