import { parseArgs } from 'node:util';
import path from 'node:path';
import { newPgClient } from '../db/pool';
import { text, z } from '../validation';
import { createDb } from '../db/client';
import { migrationStatus } from '../db/migrate';
import { createApiKey, expiryFromDays, MAX_API_KEY_DAYS, revokeApiKey } from '../auth/api-keys';
import {
  administerUser,
  createUser,
  newUserSchema,
  USER_ACTIONS,
  usernameSchema,
  type UserAction,
} from '../auth/users';
import { temporaryPassword } from '../auth/password';
import { ensureFirstAdmin, firstAdminNotice } from '../auth/first-start';
import { ROLES } from '../auth/roles';
import { audit } from '../audit';
import { issueLocalCertificates, tlsHostSchema } from '../net/local-ca';
import { tlsGuide } from '../net/tls-guide';
import { openDatabase } from './database';
import { importPatientsCli } from '../patients/import/cli';
import { backupCli } from './backup';
import { DomainError } from '../errors';

/**
 * Administration from the shell: `npm run cli -- <command>`.
 *   facility create --code 58001 --name "…"
 *   room create --facility 58001 --code P01 --name "Phòng khám Nội" --department "Khoa Khám bệnh"
 *   user create --username an.nv --full-name "…" --role RECEPTIONIST --facility 58001 [--password …]   (changed at first sign-in)
 *   user disable|enable|reset-password|unlock <username>
 *   apikey create --name kiosk-1 --role RECEPTIONIST --facility 58001 [--expires-days 365]   (prints the key as the last line)
 *   apikey revoke --id <uuid>
 *   migrate status
 *   tls init --host <name-or-ip> [--host …]   (local CA + server certificate under DATA_DIR/tls)
 *   patients import <file.csv|file.xlsx> [--dry-run] [--facility 58001] [--map "Mã BN=hospitalCode,…"] [--encoding cp1258] [--out DIR]
 *   backup create | list | verify <file> | restore <file> [--force]   (lib/cli/backup.ts)
 */
const USAGE = `Cách dùng / usage: npm run cli -- <facility|room|user|apikey> create [...] | user <disable|enable|reset-password|unlock> <tên-đăng-nhập> | apikey revoke --id <id> | migrate [status] | tls init --host <tên-máy-hoặc-IP> [--host …] | patients import <tệp.csv|tệp.xlsx> [--dry-run] [--facility MÃ] [--map "…"] | backup create|list|verify <tệp>|restore <tệp> [--force]`;

const { positionals, values } = parseArgs({
  allowPositionals: true,
  options: {
    code: { type: 'string' },
    name: { type: 'string' },
    facility: { type: 'string' },
    department: { type: 'string' },
    username: { type: 'string' },
    'full-name': { type: 'string' },
    role: { type: 'string' },
    password: { type: 'string' },
    'staff-id': { type: 'string' },
    id: { type: 'string' },
    host: { type: 'string', multiple: true },
    'dry-run': { type: 'boolean' },
    map: { type: 'string' },
    encoding: { type: 'string' },
    out: { type: 'string' },
    'expires-days': { type: 'string' },
    force: { type: 'boolean' },
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
  if (noun === 'tls') return tlsCommand(verb);
  if (noun === 'backup') process.exit(await backupCli(verb, positionals[2], values));
  const database = await openDatabase();
  const db = createDb(database.url, 2);
  try {
    const facilityByCode = async (code: string | undefined) => {
      const facility = await db.facility.findUnique({ where: { code: check(facilityCode, code) } });
      return (
        facility ??
        fail(`Không có cơ sở mã ${code}. Tạo trước: npm run cli -- facility create --code ${code} --name "…"`)
      );
    };
    const cliActor = { actorName: `cli:${process.env.USER ?? 'unknown'}` };

    if (noun === 'facility' && verb === 'create') {
      const input = check(z.object({ code: facilityCode, name: text().min(3).max(200) }), values);
      const f = await db.facility.create({ data: input });
      await audit(db, {
        action: 'FACILITY_CREATED',
        ...cliActor,
        facilityId: f.id,
        entityType: 'Facility',
        entityId: f.id,
      });
      console.log(`Đã tạo cơ sở ${f.code}`);
      const admin = await ensureFirstAdmin(db); // the database's first facility: its first administrator
      if (admin.status === 'created') console.log(firstAdminNotice(admin));
    } else if (noun === 'room' && verb === 'create') {
      const f = await facilityByCode(values.facility);
      const input = check(
        z.object({
          code: z.string().regex(/^[0-9A-Za-z._-]{1,20}$/),
          name: text().min(2).max(200),
          department: text().min(2).max(200),
        }),
        values,
      );
      const r = await db.room.create({ data: { ...input, facilityId: f.id } });
      console.log(`Đã tạo phòng ${r.code}`);
    } else if (noun === 'user' && verb === 'create') {
      const generated = values.password ? undefined : temporaryPassword();
      const input = check(newUserSchema, {
        username: values.username,
        fullName: values['full-name'],
        role: values.role,
        facilityCode: values.facility,
        password: values.password ?? generated,
        staffIdNumber: values['staff-id'],
      });
      // Whoever typed the password is not the user: it is changed at first sign-in.
      const user = await createUser(db, input, { passwordState: 'TEMPORARY' });
      await audit(db, {
        action: 'USER_CREATED',
        ...cliActor,
        entityType: 'User',
        entityId: user.id,
        details: { role: input.role },
      });
      console.log(
        `Đã tạo người dùng ${input.username} (${input.role}); đổi mật khẩu khi đăng nhập lần đầu / password changed at first sign-in`,
      );
      if (generated) console.log(`Mật khẩu tạm thời / temporary password:\n${generated}`);
    } else if (noun === 'user' && (USER_ACTIONS as readonly string[]).includes(verb ?? '')) {
      const { username } = check(z.object({ username: usernameSchema }), {
        username: positionals[2] ?? values.username,
      });
      const result = await administerUser(db, verb as UserAction, { username }, cliActor).catch((error: unknown) =>
        fail(
          error instanceof DomainError && error.code === 'UNKNOWN_USER'
            ? `Không có người dùng ${username}. / No user ${username}.`
            : String((error as Error).message),
        ),
      );
      const done: Record<UserAction, string> = {
        disable: 'đã ngừng, các phiên đăng nhập đã kết thúc / disabled, its sessions ended',
        enable: 'đã kích hoạt lại / enabled',
        'reset-password':
          'đã cấp mật khẩu tạm thời (đã mở khóa, các phiên đã kết thúc), phải đổi khi đăng nhập / new temporary password (unlocked, sessions ended), changed at next sign-in',
        unlock: 'đã mở khóa / unlocked',
      };
      console.log(`${result.username}: ${done[verb as UserAction]}`);
      if (result.temporaryPassword)
        console.log(
          `Mật khẩu tạm thời, chỉ hiện một lần / temporary password, shown once:\n${result.temporaryPassword}`,
        );
    } else if (noun === 'apikey' && verb === 'create') {
      const f = await facilityByCode(values.facility);
      const input = check(
        z.object({
          name: text().min(2).max(60),
          role: z.enum(ROLES),
          'expires-days': z.coerce
            .number()
            .int()
            .min(1)
            .max(MAX_API_KEY_DAYS, `--expires-days: tối đa ${MAX_API_KEY_DAYS} ngày.`)
            .optional(),
        }),
        values,
      );
      const expiresAt = expiryFromDays(input['expires-days']);
      const created = await createApiKey(db, { name: input.name, role: input.role, facilityId: f.id, expiresAt });
      await audit(db, {
        action: 'API_KEY_CREATED',
        ...cliActor,
        facilityId: f.id,
        entityType: 'ApiKey',
        entityId: created.id,
        details: { role: input.role, expiresAt: expiresAt?.toISOString() ?? null },
      });
      console.log(
        `Đã tạo khóa API "${input.name}" (${input.role}, ${f.code}), id ${created.id}${expiresAt ? `, hết hạn ${expiresAt.toISOString()}` : ', không hết hạn'}. Lưu khóa ngay, khóa chỉ hiện một lần:`,
      );
      console.log(created.key);
    } else if (noun === 'apikey' && verb === 'revoke') {
      const id = check(z.string().uuid('--id phải là một UUID.'), values.id);
      if (!(await revokeApiKey(db, id))) fail('Không tìm thấy khóa đang hiệu lực với id này.');
      await audit(db, { action: 'API_KEY_REVOKED', ...cliActor, entityType: 'ApiKey', entityId: id });
      console.log('Đã thu hồi khóa.');
    } else if (noun === 'patients' && verb === 'import') {
      await importPatientsCli(database.url, positionals[2], { ...values, actor: cliActor.actorName });
    } else if (noun === 'migrate') {
      const client = newPgClient({ connectionString: database.url });
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

/** `tls init`: needs no database. */
function tlsCommand(verb: string | undefined) {
  if (verb !== 'init' || !values.host?.length)
    fail(
      'Cách dùng / usage: npm run cli -- tls init --host <tên-máy-hoặc-IP> [--host …]\n  vd. / e.g. npm run cli -- tls init --host 10.20.0.5 --host tiepdon.benhvien.local',
    );
  const hosts = values.host.map((h) => check(tlsHostSchema, h));
  const result = issueLocalCertificates(path.resolve(process.env.DATA_DIR ?? '.data'), hosts);
  console.log(tlsGuide(result, Number(process.env.PORT ?? 3000)));
}

main().catch((error) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
