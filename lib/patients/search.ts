import { Prisma, type Db, type DbTx } from '../db/client';
import { identifierSystems, maskIdentifier, normalizeVietnameseName, parseIdentity, type IdentifierSystem } from '../identity';
import { compactTypedNumber } from '../identity/normalize';

/**
 * Patient search for the support team. One box: an identifier of any kind (exact, via the unique
 * (system, value) index) or a name (accent-free, word-order and typo tolerant, via a pg_trgm GIN index),
 * narrowed by birth date/year and phone. One SQL statement per page: each row carries its masked
 * identifiers, so rows cost no extra query.
 */
export type SearchInput = { q: string; birth?: string; phone?: string; page?: number; pageSize?: number };

export type SearchRow = {
  id: string;
  fullName: string;
  birthDate: string; // 'YYYY-MM-DD' or 'YYYY'
  sex: 'M' | 'F' | null;
  phone: string | null; // masked
  mergedIntoId: string | null;
  identifiers: { system: IdentifierSystem; value: string; retired: boolean }[]; // values masked
};

export type SearchResult = {
  kind: 'identifier' | 'name';
  /** true when no name matched word for word and these are the closest spellings (one page only) */
  fuzzy: boolean;
  rows: SearchRow[];
  page: number;
  pageSize: number;
  hasMore: boolean;
};

export class SearchInputError extends Error {}

/** Identifier candidates for a query that looks like one (has a digit): any parsed form plus the hospital's own code. */
export function identifierCandidates(q: string): { system: IdentifierSystem; value: string }[] {
  if (!/\d/.test(q)) return [];
  const out: { system: IdentifierSystem; value: string }[] = [];
  const parsed = parseIdentity(q);
  if (parsed.ok) out.push(...identifierSystems(parsed.identity));
  // A typed code: one token once spaces, dots and dashes are gone (names never hold digits).
  const compact = compactTypedNumber(q.trim());
  if (/^[A-Z]{0,4}\d[A-Z0-9]*$/.test(compact) && compact.length <= 20) out.push({ system: 'HOSPITAL_CODE', value: compact });
  return out;
}

/** 'dd/MM/yyyy', 'YYYY-MM-DD' or 'YYYY' → a filter on birthDate or birthYear. */
export function parseBirthFilter(birth: string | undefined): { date?: string; year?: number } | null {
  const b = birth?.trim();
  if (!b) return {};
  let m = /^(\d{1,2})\/(\d{1,2})\/(\d{4})$/.exec(b);
  if (m) return { date: `${m[3]}-${m[2]!.padStart(2, '0')}-${m[1]!.padStart(2, '0')}` };
  m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(b);
  if (m) return { date: b };
  if (/^\d{4}$/.test(b)) return { year: Number(b) };
  return null;
}

export function normalizePhone(phone: string | undefined): string | undefined {
  const digits = phone?.replace(/\D/g, '') ?? '';
  if (!digits) return undefined;
  return digits.startsWith('84') && digits.length === 11 ? `0${digits.slice(2)}` : digits;
}

type RawRow = Omit<SearchRow, 'identifiers' | 'phone'> & { phone: string | null; identifiers: SearchRow['identifiers'] | null };

const SELECT_ROW = Prisma.sql`
  SELECT p.id, p."fullName", p."birthDate", p.sex, p.phone, p."mergedIntoId",
    (SELECT json_agg(json_build_object('system', i.system, 'value', i.value, 'retired', i."retiredAt" IS NOT NULL)
                     ORDER BY i."retiredAt" NULLS FIRST, i.system)
       FROM "PatientIdentifier" i WHERE i."patientId" = p.id) AS identifiers`;

export async function searchPatients(db: DbTx, input: SearchInput): Promise<SearchResult> {
  const q = input.q.trim();
  if (q.length < 2) throw new SearchInputError('Nhập ít nhất 2 ký tự: số định danh, số thẻ BHYT hoặc họ tên.');
  if (q.length > 200) throw new SearchInputError('Nội dung tìm kiếm quá dài.');
  const birth = parseBirthFilter(input.birth);
  if (!birth) throw new SearchInputError('Ngày sinh phải có dạng dd/mm/yyyy hoặc năm sinh yyyy.');
  const phone = normalizePhone(input.phone);
  const page = Math.max(1, Math.floor(input.page ?? 1));
  const pageSize = Math.min(100, Math.max(1, Math.floor(input.pageSize ?? 20)));
  const offset = (page - 1) * pageSize;

  const filters: Prisma.Sql[] = [];
  if (birth.date) filters.push(Prisma.sql`p."birthDate" = ${birth.date}`);
  if (birth.year) filters.push(Prisma.sql`p."birthYear" = ${birth.year}`);
  if (phone) filters.push(Prisma.sql`p.phone = ${phone}`);
  const extra = filters.length ? Prisma.sql` AND ${Prisma.join(filters, ' AND ')}` : Prisma.empty;

  const candidates = identifierCandidates(q);
  let raw: RawRow[];
  let kind: SearchResult['kind'];
  let fuzzy = false;
  if (candidates.length > 0) {
    kind = 'identifier';
    const pairs = Prisma.join(candidates.map((c) => Prisma.sql`(${c.system}::"IdentifierSystem", ${c.value})`));
    raw = await db.$queryRaw<RawRow[]>`${SELECT_ROW}
      FROM "Patient" p WHERE p.id IN (SELECT "patientId" FROM "PatientIdentifier" WHERE (system, value) IN (${pairs}))${extra}
      ORDER BY p."mergedIntoId" NULLS FIRST, p."createdAt" LIMIT ${pageSize + 1} OFFSET ${offset}`;
  } else {
    kind = 'name';
    const name = normalizeVietnameseName(q);
    const tokens = [...new Set(name.split(' ').filter((t) => t.length > 0))].slice(0, 6);
    // Every word present as a whole word, in any order: the trigram GIN index serves these regexes.
    const allWords = Prisma.join(tokens.map((t) => Prisma.sql`p."normalizedName" ~ ${`(^| )${escapeRegex(t)}( |$)`}`), ' AND ');
    raw = await db.$queryRaw<RawRow[]>`${SELECT_ROW}
      FROM "Patient" p WHERE ${allWords}${extra}
      ORDER BY p."mergedIntoId" NULLS FIRST, length(p."normalizedName"), p.id
      LIMIT ${pageSize + 1} OFFSET ${offset}`;
    if (raw.length === 0 && page === 1) {
      // Nothing exact: a typo or a missing letter. Trigram similarity (order-insensitive) above a threshold high
      // enough that the index returns few candidates; the threshold is a tuning choice, not from a spec.
      fuzzy = true;
      raw = await fuzzyName(db, name, extra, pageSize);
    }
  }
  const hasMore = raw.length > pageSize;
  const rows = raw.slice(0, pageSize).map((r) => ({
    ...r,
    phone: r.phone ? maskIdentifier(r.phone, 3) : null,
    identifiers: (r.identifiers ?? []).map((i) => ({ ...i, value: maskIdentifier(i.value) })),
  }));
  return { kind, fuzzy, rows, page, pageSize, hasMore: fuzzy ? false : hasMore };
}

function escapeRegex(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

const FUZZY_THRESHOLD = 0.5;

async function fuzzyName(db: DbTx, name: string, extra: Prisma.Sql, pageSize: number): Promise<RawRow[]> {
  const run = async (tx: DbTx) => {
    await tx.$executeRaw`SELECT set_config('pg_trgm.similarity_threshold', ${String(FUZZY_THRESHOLD)}, true)`;
    return tx.$queryRaw<RawRow[]>`${SELECT_ROW}
      FROM "Patient" p WHERE p."normalizedName" % ${name}${extra}
      ORDER BY similarity(p."normalizedName", ${name}) DESC, p."mergedIntoId" NULLS FIRST, p.id
      LIMIT ${pageSize}`;
  };
  // set_config(…, true) lasts until the end of the transaction: open one unless the caller already has.
  return '$transaction' in db ? (db as Db).$transaction((tx) => run(tx)) : run(db);
}
