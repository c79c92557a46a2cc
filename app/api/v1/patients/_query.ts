import { z } from '@/lib/validation';
import { jsonError } from '@/app/_lib/guard';
import { PURPOSE_CODES } from '@/lib/patients/purposes';
import { PatientChangeError } from '@/lib/patients/corrections';

export const purposeSchema = z.enum(PURPOSE_CODES as [string, ...string[]], { message: 'Mục đích tra cứu không hợp lệ.' });
export const reasonSchema = z.string().trim().min(3, 'Hãy ghi lý do (ít nhất 3 ký tự).').max(200, 'Lý do quá dài (tối đa 200 ký tự).');
export const uuidSchema = z.uuid({ message: 'Mã hồ sơ không hợp lệ.' });

/** Validates URL query parameters with zod; returns the data or a 400 response with a Vietnamese message. */
export function parseQuery<S extends z.ZodType>(req: Request, schema: S): { data: z.infer<S> } | { error: Response } {
  const params = Object.fromEntries(new URL(req.url).searchParams);
  const parsed = schema.safeParse(params);
  if (parsed.success) return { data: parsed.data };
  const first = parsed.error.issues[0];
  return { error: jsonError(400, 'VALIDATION', `Tham số không hợp lệ: ${first?.path.join('.') ? `${first.path.join('.')}: ` : ''}${first?.message}`) };
}

/** Maps a domain rule violation to its HTTP answer; anything else is rethrown (→ 500). */
export function changeError(error: unknown): Response {
  if (error instanceof PatientChangeError) return jsonError(error.status, error.code, error.message);
  throw error;
}
