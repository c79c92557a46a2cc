import { apiRoute } from '@/app/_lib/guard';
import { areasFor, type MeResponse } from '@/lib/auth/roles';

/** Who the caller is (session or API key), which areas it may use, and whether it must change its password first. */
export const GET = apiRoute({ area: null, beforePasswordChange: true }, async ({ principal }) =>
  Response.json({
    kind: principal.kind,
    name: principal.name,
    role: principal.role,
    facilityCode: principal.facilityCode,
    areas: areasFor(principal.role),
    mustChangePassword: principal.mustChangePassword ?? false,
  } satisfies MeResponse),
);
