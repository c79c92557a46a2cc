export const ROLES = ['RECEPTIONIST', 'SUPPORT', 'MANAGER', 'ADMIN'] as const;
export type Role = (typeof ROLES)[number];

/** The product's four areas and who may enter each; checked on the server for every page and API route. */
export const AREAS = {
  desk: { path: '/tiep-don', roles: ['RECEPTIONIST', 'ADMIN'] },
  search: { path: '/tra-cuu', roles: ['SUPPORT', 'ADMIN'] },
  reports: { path: '/bao-cao', roles: ['MANAGER', 'ADMIN'] },
  admin: { path: '/quan-tri', roles: ['ADMIN'] },
} as const satisfies Record<string, { path: string; roles: readonly Role[] }>;
export type Area = keyof typeof AREAS;

export function canAccess(role: Role, area: Area): boolean {
  return (AREAS[area].roles as readonly Role[]).includes(role);
}

export function areasFor(role: Role): Area[] {
  return (Object.keys(AREAS) as Area[]).filter((a) => canAccess(role, a));
}

/** Where a user lands after signing in. */
export function homePath(role: Role): string {
  const home: Record<Role, Area> = { RECEPTIONIST: 'desk', SUPPORT: 'search', MANAGER: 'reports', ADMIN: 'admin' };
  return AREAS[home[role]].path;
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
};
