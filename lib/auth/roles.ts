import type { CheckinChannel, Role } from '../codes';

export { ROLES } from '../codes';
export type { Role };
/** The roles a person can have. MONITOR is for the API keys of monitoring systems only. */
export const USER_ROLES = ['RECEPTIONIST', 'SUPPORT', 'MANAGER', 'ADMIN'] as const;
/** Who may read `/api/metrics` (Prometheus): MONITOR keys, which may do nothing else, and administrators. */
export const METRICS_ROLES: readonly Role[] = ['MONITOR', 'ADMIN'];

/** The product's four areas and who may enter each; checked on the server for every page and API route. */
export const AREAS = {
  desk: { path: '/tiep-don', roles: ['RECEPTIONIST', 'ADMIN'] },
  search: { path: '/tra-cuu', roles: ['SUPPORT', 'ADMIN'] },
  reports: { path: '/bao-cao', roles: ['MANAGER', 'ADMIN'] },
  admin: { path: '/quan-tri', roles: ['ADMIN'] },
  // Self check-in kiosks: no staff role enters; only a paired kiosk's device session (KioskPrincipal).
  kiosk: { path: '/kiosk', roles: [] },
} as const satisfies Record<string, { path: string; roles: readonly Role[] }>;
export type Area = keyof typeof AREAS;

/** `area: null`: any staff role (a route every signed-in person may use), which MONITOR is not. */
export function canAccess(role: Role, area: Area | null): boolean {
  if (area === null) return role !== 'MONITOR';
  return (AREAS[area].roles as readonly Role[]).includes(role);
}

export function areasFor(role: Role): Area[] {
  return (Object.keys(AREAS) as Area[]).filter((a) => canAccess(role, a));
}

/** Where a user lands after signing in. */
export function homePath(role: Role): string {
  const home: Record<Role, Area | null> = {
    RECEPTIONIST: 'desk',
    SUPPORT: 'search',
    MANAGER: 'reports',
    ADMIN: 'admin',
    MONITOR: null,
  };
  const area = home[role];
  return area ? AREAS[area].path : '/khong-co-quyen';
}

/** Who is acting: a signed-in user or an API key (device, kiosk, integration). */
export type Principal = {
  kind: 'USER' | 'API_KEY';
  id: string;
  name: string; // username or key name: staff account names, not patient data
  fullName?: string;
  role: Role;
  facilityId: string;
  facilityCode: string;
  sessionId?: string;
  /** A signed-in user whose password was generated for them (TEMPORARY): they change it before anything else. */
  mustChangePassword?: true;
};

/**
 * A paired self check-in kiosk (its device session, lib/kiosk/devices.ts). Not a staff principal: it has no
 * role, enters only the `kiosk` area (check-in, rooms with waiting counts, ticket printing) and is refused
 * by every other page and API route, which authenticate staff sessions and API keys only.
 */
export type KioskPrincipal = {
  kind: 'KIOSK';
  id: string; // Kiosk.id
  name: string; // the kiosk's name, e.g. "Kiosk sảnh A"
  facilityId: string;
  facilityCode: string;
};

/** Whoever does something that is audited or opens an encounter: staff (user, API key) or a kiosk. */
export type Actor = Principal | KioskPrincipal;

/** The channel an encounter is opened through follows from who opens it. */
export function channelOf(actor: Actor): CheckinChannel {
  return actor.kind === 'KIOSK' ? 'KIOSK' : actor.kind === 'API_KEY' ? 'API' : 'DESK';
}

/** 200 from GET /api/v1/me: who the caller is, the areas it may use, whether it must change its password first. */
export type MeResponse = Pick<Principal, 'kind' | 'name' | 'role' | 'facilityCode'> & {
  areas: Area[];
  mustChangePassword: boolean;
};
