import { spawnSync } from 'node:child_process';
import fs from 'node:fs';

/**
 * The Chromium the browser tests drive: CHROMIUM_PATH, else Debian's /usr/bin/chromium. With neither, try
 * Playwright's own download (works where the network allows); otherwise stop with how to install one.
 */
export function chromiumPath(): string | undefined {
  for (const candidate of [process.env.CHROMIUM_PATH, '/usr/bin/chromium', '/usr/bin/chromium-browser']) {
    if (candidate && fs.existsSync(candidate)) return candidate;
  }
  const download = spawnSync('npx', ['playwright', 'install', 'chromium'], { stdio: 'inherit', timeout: 300_000 });
  if (download.status === 0) return undefined; // Playwright's own build
  console.error(
    '\nKhông tìm thấy Chromium / no Chromium found. Cài đặt / install one, e.g.:\n  sudo apt-get install -y chromium\nor set CHROMIUM_PATH=/path/to/chromium\n',
  );
  process.exit(1);
}
