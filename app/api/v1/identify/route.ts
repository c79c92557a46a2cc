import { apiRoute } from '@/app/_lib/guard';
import { z } from '@/lib/validation';
import { parseIdentity } from '@/lib/identity';

const body = z.object({ raw: z.string({ message: 'Trường "raw" phải là một chuỗi.' }) }).strict();

/**
 * Parses what a scanner or a receptionist gave: 200 with the parse result for every string (a payload that
 * does not parse is a 200 `{ ok: false, error }` with a Vietnamese message); 400 only for a body that is not
 * `{ raw: string }` or is over 4 KB. Pure parsing: nothing is looked up, so nothing is audited here.
 */
export const POST = apiRoute({ area: null, body, maxBodyBytes: 4096 }, async ({ body }) =>
  Response.json(parseIdentity(body.raw)),
);
