import { apiRoute } from '@/app/_lib/guard';
import { areasFor } from '@/lib/auth/roles';

/** Who the caller is (session or API key) and which areas it may use. */
export const GET = apiRoute({ area: null }, async ({ principal }) =>
  Response.json({ kind: principal.kind, name: principal.name, role: principal.role, facilityCode: principal.facilityCode, areas: areasFor(principal.role) }),
);
