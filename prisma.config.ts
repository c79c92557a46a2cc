import { defineConfig } from 'prisma/config';

// The app applies migrations itself (lib/db/migrate.ts); this file serves the Prisma CLI
// (`prisma generate`, and `prisma migrate status/deploy` on machines that have the schema engine).
export default defineConfig({
  schema: 'prisma/schema.prisma',
  migrations: { path: 'prisma/migrations', seed: 'tsx prisma/seed.ts' },
  datasource: { url: process.env.DATABASE_URL ?? '' },
});
