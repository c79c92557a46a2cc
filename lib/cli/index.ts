import { parseArgs } from 'node:util';
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { z } from '../validation';
import { createDb } from '../db/client';
import { migrationStatus } from '../db/migrate';
import { createApiKey, revokeApiKey } from '../auth/api-keys';
import { createUser, newUserSchema } from '../auth/users';
import { ROLES } from '../auth/roles';
import { audit } from '../audit';
import { openDatabase } from './database';

/**
 * Administration from the shell: `npm run cli -- <command>`.
 *   facility create --code 58001 --name "…"
 *   room create --facility 58001 --code P01 --name "Phòng khám Nội" --department "Khoa Khám bệnh"
 *   user create --username an.nv --full-name "…" --role RECEPTIONIST --facility 58001 [--password …]
 *   apikey create --name kiosk-1 --role RECEPTIONIST --facility 58001   (prints the key as the last line)
 *   apikey revoke --id <uuid>
 *   migrate status
 */
const USAGE = `Cách dùng / usage: npm run cli -- <facility|room|user|apikey> create [...] | apikey revoke --id <id> | migrate [status]`;

const { positionals, values } = parseArgs({
  allowPositionals: true,
  options: {
    code: { type: 'string' }, name: { type: 'string' }, facility: { type: 'string' }, department: { type: 'string' },
    username: { type: 'string' }, 'full-name': { type: 'string' }, role: { type: 'string' }, password: { type: 'string' },
    'staff-id': { type: 'string' }, id: { type: 'string' },
  },
});

function fail(message: string): never {
  console.error(message);
  process.exit(2);
}

function check<T>(schema: z.ZodType<T>, input: unknown): T {
  const parsed = schema.safeParse(input);
  if (!parsed.success) fail(parsed.error.issues.map((i) => `--${String(i.path[0] ?? '')}: ${i.message}`).join('\n'));
  return parsed.data;
}

const facilityCode = z.string().regex(/^[0-9A-Z]{5}$/, 'Mã cơ sở gồm 5 ký tự (vd. 58001).');

async function main() {
  const [noun, verb] = positionals;
  if (!noun) fail(USAGE);
  const database = await openDatabase();
  const db = createDb(database.url, 2);
  try {
    const facilityByCode = async (code: string | undefined) => {
      const facility = await db.facility.findUnique({ where: { code: check(facilityCode, code) } });
      return facility ?? fail(`Không có cơ sở mã ${code}. Tạo trước: npm run cli -- facility create --code ${code} --name "…"`);
    };
    const cliActor = { actorName: `cli:${process.env.USER ?? 'unknown'}` };

    if (noun === 'facility' && verb === 'create') {
      const input = check(z.object({ code: facilityCode, name: z.string().trim().min(3) }), values);
      const f = await db.facility.create({ data: input });
      await audit(db, { action: 'FACILITY_CREATED', ...cliActor, facilityId: f.id, entityType: 'Facility', entityId: f.id });
      console.log(`Đã tạo cơ sở ${f.code}`);
    } else if (noun === 'room' && verb === 'create') {
      const f = await facilityByCode(values.facility);
      const input = check(z.object({ code: z.string().regex(/^[0-9A-Za-z._-]{1,20}$/), name: z.string().trim().min(2), department: z.string().trim().min(2) }), values);
      const r = await db.room.create({ data: { ...input, facilityId: f.id } });
      console.log(`Đã tạo phòng ${r.code}`);
    } else if (noun === 'user' && verb === 'create') {
      const generated = values.password ? undefined : `${randomBytes(9).toString('base64url')}7a`;
      const input = check(newUserSchema, {
        username: values.username, fullName: values['full-name'], role: values.role, facilityCode: values.facility,
        password: values.password ?? generated, staffIdNumber: values['staff-id'],
      });
      const user = await createUser(db, input);
      await audit(db, { action: 'USER_CREATED', ...cliActor, entityType: 'User', entityId: user.id, details: { role: input.role } });
      console.log(`Đã tạo người dùng ${input.username} (${input.role})`);
      if (generated) console.log(`Mật khẩu tạm thời / temporary password:\n${generated}`);
    } else if (noun === 'apikey' && verb === 'create') {
      const f = await facilityByCode(values.facility);
      const input = check(z.object({ name: z.string().trim().min(2).max(60), role: z.enum(ROLES) }), values);
      const created = await createApiKey(db, { ...input, facilityId: f.id });
      await audit(db, { action: 'API_KEY_CREATED', ...cliActor, facilityId: f.id, entityType: 'ApiKey', entityId: created.id, details: { role: input.role } });
      console.log(`Đã tạo khóa API "${input.name}" (${input.role}, ${f.code}), id ${created.id}. Lưu khóa ngay, khóa chỉ hiện một lần:`);
      console.log(created.key);
    } else if (noun === 'apikey' && verb === 'revoke') {
      const id = check(z.string().uuid('--id phải là một UUID.'), values.id);
      if (!(await revokeApiKey(db, id))) fail('Không tìm thấy khóa đang hiệu lực với id này.');
      await audit(db, { action: 'API_KEY_REVOKED', ...cliActor, entityType: 'ApiKey', entityId: id });
      console.log('Đã thu hồi khóa.');
    } else if (noun === 'migrate') {
      const client = new pg.Client({ connectionString: database.url });
      await client.connect();
      console.log(JSON.stringify(await migrationStatus(client), null, 2));
      await client.end();
    } else {
      fail(USAGE);
    }
  } finally {
    await db.$disconnect();
    await database.stop();
  }
}

main().catch((error) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
