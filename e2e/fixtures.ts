import { expect, type Page } from '@playwright/test';
import { DEMO_FACILITY, DEMO_PASSWORD } from '../lib/db/demo';
import { withDatabase } from '../lib/db/connection-info';
import { testServer } from '../lib/db/test-database';

export { DEMO_PASSWORD };

/**
 * What a browser adds to a write from the app's own page; Playwright's `page.request` sends neither
 * `Sec-Fetch-Site` nor `Origin`, and writes with the session cookie need one (app/_lib/guard.ts).
 */
export const SAME_ORIGIN = { origin: `http://localhost:${process.env.E2E_PORT ?? 3100}` } as const;

/** Accounts only the browser tests use, so locking one out does not disturb the demo accounts. */
export const E2E_ACCOUNTS = [
  {
    username: 'khoa.thu',
    fullName: 'Khóa Thử (e2e)',
    role: 'RECEPTIONIST' as const,
    facilityCode: DEMO_FACILITY.code,
    password: 'E2e@Passw0rd',
  },
];

export async function signIn(page: Page, username: string, password = DEMO_PASSWORD) {
  await page.goto('/login');
  await page.getByLabel(/Tên đăng nhập|Username/).fill(username);
  await page.getByLabel(/Mật khẩu|Password/).fill(password);
  await page.getByRole('button', { name: /Đăng nhập|Sign in/ }).click();
  await expect(page).not.toHaveURL(/\/login/);
}

/** The browser tests' own database (E2E_DATABASE lets parallel runs on one server keep apart). */
export function e2eDatabaseName(): string {
  return process.env.E2E_DATABASE ?? 'tiepdon_e2e';
}

/** A URL to the e2e database, for tests that run the CLI against it. */
export async function e2eDatabaseUrl(): Promise<string> {
  return withDatabase((await testServer()).serverUrl, e2eDatabaseName());
}
