import { defineConfig } from '@playwright/test';
import { chromiumPath } from './e2e/chromium';

export const E2E_PORT = Number(process.env.E2E_PORT ?? 3100);

// The app under test talks to a BHXH gateway simulator that the BHYT specs start on this port (synthetic account).
process.env.BHXH_GATEWAY_URL ??= `http://127.0.0.1:${E2E_PORT + 15188}`;
process.env.BHXH_GATEWAY_USER ??= '58999_BV';
process.env.BHXH_GATEWAY_PASSWORD ??= 'Sim#Pass58';
// A signing-key password the web server must never receive (only the hand-off worker signs XML0): e2e/hardening.spec.ts.
process.env.BHXH_SIGNING_P12_PASSWORD ??= 'e2e-signing-password';

export default defineConfig({
  testDir: 'e2e',
  fullyParallel: false,
  workers: 1, // one app, one database, 2 cores
  timeout: 60_000,
  expect: { timeout: 10_000 },
  reporter: [['list']],
  outputDir: process.env.E2E_OUTPUT ?? 'test-results',
  use: {
    baseURL: `http://localhost:${E2E_PORT}`,
    locale: 'vi-VN',
    timezoneId: 'Asia/Ho_Chi_Minh',
    screenshot: 'only-on-failure',
    launchOptions: {
      executablePath: chromiumPath(),
      args: [
        '--no-sandbox',
        '--disable-gpu',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
        '--no-first-run',
        '--disable-quic',
      ],
    },
  },
  webServer: {
    command: 'npx tsx e2e/serve.ts',
    url: `http://localhost:${E2E_PORT}/api/health`,
    timeout: 600_000, // a production build; on a busy shared machine it has taken over 5 minutes
    reuseExistingServer: false,
    stdout: 'pipe',
    stderr: 'pipe',
  },
});
