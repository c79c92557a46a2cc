import type { DbTx } from './client';
import { DEMO_PASSWORD, hashPassword } from '../auth/password';
import type { Role } from '../auth/roles';

/** The demo facility: a made-up Ninh Thuận district health centre (province code 58). Synthetic throughout. */
export const DEMO_FACILITY = { code: '58999', name: 'Trung tâm Y tế Demo (Ninh Thuận)' };
export { DEMO_PASSWORD };
// staffIdNumber: a synthetic CCCD, sent as cccdCb to the BHXH gateway when this user verifies a card.
export const DEMO_USERS: { username: string; fullName: string; role: Role; staffIdNumber?: string }[] = [
  { username: 'letan', fullName: 'Lê Thị Tân (demo)', role: 'RECEPTIONIST', staffIdNumber: '058190000001' },
  { username: 'hotro', fullName: 'Hồ Văn Trợ (demo)', role: 'SUPPORT' },
  { username: 'quanly', fullName: 'Quan Thị Lý (demo)', role: 'MANAGER' },
  { username: 'quantri', fullName: 'Quách Văn Trị (demo)', role: 'ADMIN', staffIdNumber: '058090000004' },
];
export const DEMO_ROOMS = [
  { code: 'P01', name: 'Phòng khám Nội 1', department: 'Khoa Khám bệnh' },
  { code: 'P02', name: 'Phòng khám Nội 2', department: 'Khoa Khám bệnh' },
  { code: 'P03', name: 'Phòng khám Ngoại', department: 'Khoa Khám bệnh' },
  { code: 'P04', name: 'Phòng khám Nhi', department: 'Khoa Nhi' },
  { code: 'P05', name: 'Phòng khám Sản', department: 'Khoa Sản' },
  { code: 'P06', name: 'Phòng khám Tai Mũi Họng', department: 'Khoa Khám bệnh' },
  { code: 'P07', name: 'Phòng khám Răng Hàm Mặt', department: 'Khoa Khám bệnh' },
  { code: 'P08', name: 'Phòng khám Mắt', department: 'Khoa Khám bệnh' },
  { code: 'CC', name: 'Cấp cứu', department: 'Khoa Cấp cứu' },
];

/** Creates the demo facility, rooms and one user per role. Idempotent: existing rows are left as they are. */
export async function seedDemo(db: DbTx): Promise<{ created: boolean }> {
  // createMany + skipDuplicates is INSERT … ON CONFLICT DO NOTHING: safe when two processes seed at once.
  const { count } = await db.facility.createMany({ data: [DEMO_FACILITY], skipDuplicates: true });
  const facility = await db.facility.findUniqueOrThrow({ where: { code: DEMO_FACILITY.code } });
  await db.room.createMany({ data: DEMO_ROOMS.map((r) => ({ ...r, facilityId: facility.id })), skipDuplicates: true });
  const passwordHash = await hashPassword(DEMO_PASSWORD);
  await db.user.createMany({
    // DEMO: the published password keeps the server on this machine (lib/auth/users.ts, demoPasswordAccounts).
    data: DEMO_USERS.map((u) => ({ ...u, facilityId: facility.id, passwordHash, passwordState: 'DEMO' as const })),
    skipDuplicates: true,
  });
  // The demo receptionist works in P01 (the admin page changes it).
  const p01 = await db.room.findFirstOrThrow({ where: { facilityId: facility.id, code: 'P01' }, select: { id: true } });
  await db.user.updateMany({
    where: { facilityId: facility.id, username: 'letan', assignedRoomId: null },
    data: { assignedRoomId: p01.id },
  });
  return { created: count === 1 };
}
