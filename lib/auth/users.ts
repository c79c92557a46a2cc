import { z } from '../validation';
import type { DbTx } from '../db/client';
import { hashPassword, passwordProblem } from './password';
import { ROLES } from './roles';

export const newUserSchema = z.object({
  username: z.string().regex(/^[a-z0-9._-]{3,32}$/, 'Tên đăng nhập: 3–32 ký tự a-z, 0-9, dấu chấm, gạch.'),
  fullName: z.string().trim().min(2, 'Họ tên quá ngắn.').max(100),
  role: z.enum(ROLES),
  facilityCode: z.string().regex(/^[0-9A-Z]{5}$/, 'Mã cơ sở gồm 5 ký tự.'),
  password: z.string().superRefine((p, ctx) => {
    const problem = passwordProblem(p);
    if (problem) ctx.addIssue({ code: 'custom', message: problem });
  }),
  staffIdNumber: z.string().regex(/^\d{12}$/, 'Số CCCD của nhân viên gồm 12 chữ số.').optional(),
});
export type NewUser = z.infer<typeof newUserSchema>;

export async function createUser(db: DbTx, input: NewUser): Promise<{ id: string }> {
  const facility = await db.facility.findUnique({ where: { code: input.facilityCode } });
  if (!facility) throw new Error(`Không có cơ sở mã ${input.facilityCode}.`);
  return db.user.create({
    data: {
      username: input.username,
      fullName: input.fullName,
      role: input.role,
      facilityId: facility.id,
      staffIdNumber: input.staffIdNumber ?? null,
      passwordHash: await hashPassword(input.password),
    },
    select: { id: true },
  });
}
