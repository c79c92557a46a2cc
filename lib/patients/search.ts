import { DomainError } from '../errors';
import { Prisma, type DbTx } from '../db/client';
import {
  identifierSystems,
  maskIdentifier,
  normalizeVietnameseName,
  parseIdentity,
  type IdentifierSystem,
} from '../identity';
import { checkIdentifier } from '../identity/schemas';
import type { Sex } from '../codes';

/**
 * Patient search for the support team. One box: an identifier of any kind (exact, via the unique
 * (system, value) index) or a name (accent-free, word-order and typo tolerant, via a pg_trgm GIN index),
 * narrowed by birth date/year and phone. One SQL statement per page: each row carries its masked
 * identifiers, so rows cost no extra query.
 */
export type SearchInput = {
  q: string;
  birth?: string;
  phone?: string;
  page?: number;
  pageSize?: number;
  /** The caller's facility: a hospital code is searched among its codes only, and only its codes are shown. */
  facilityId: string;
};

export type SearchRow = {
  id: string;
  fullName: string;
  birthDate: string; // 'YYYY-MM-DD' or 'YYYY'
  sex: Sex | null;
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

/** Identifier candidates for a query that looks like one (has a digit): any parsed form plus the hospital's own code. */
export function identifierCandidates(q: string): { system: IdentifierSystem; value: string }[] {
  if (!/\d/.test(q)) return [];
  const out: { system: IdentifierSystem; value: string }[] = [];
  const parsed = parseIdentity(q);
  if (parsed.ok) out.push(...identifierSystems(parsed.identity));
  // A typed hospital code, in the one form codes are stored in (names never hold digits).
  const code = checkIdentifier('HOSPITAL_CODE', q);
  if (code.ok) out.push({ system: 'HOSPITAL_CODE', value: code.value });
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

type RawRow = Omit<SearchRow, 'identifiers' | 'phone'> & {
  phone: string | null;
  identifiers: SearchRow['identifiers'] | null;
};

const selectRow = (facilityId: string) => Prisma.sql`
  SELECT p.id, p."fullName", p."birthDate", p.sex, p.phone, p."mergedIntoId",
    (SELECT json_agg(json_build_object('system', i.system, 'value', i.value, 'retired', i."retiredAt" IS NOT NULL)
                     ORDER BY i."retiredAt" NULLS FIRST, i.system)
       FROM "PatientIdentifier" i WHERE i."patientId" = p.id AND (i."assigningFacilityId" IS NULL OR i."assigningFacilityId" = ${facilityId}::uuid)) AS identifiers`;

export async function searchPatients(db: DbTx, input: SearchInput): Promise<SearchResult> {
  const q = input.q.trim();
  if (q.length < 2)
    throw new DomainError('invalid', 'VALIDATION', 'Nhập ít nhất 2 ký tự: số định danh, số thẻ BHYT hoặc họ tên.');
  if (q.length > 200) throw new DomainError('invalid', 'VALIDATION', 'Nội dung tìm kiếm quá dài.');
  const birth = parseBirthFilter(input.birth);
  if (!birth) throw new DomainError('invalid', 'VALIDATION', 'Ngày sinh phải có dạng dd/mm/yyyy hoặc năm sinh yyyy.');
  const phone = normalizePhone(input.phone);
  const page = Math.max(1, Math.floor(input.page ?? 1));
  const pageSize = Math.min(100, Math.max(1, Math.floor(input.pageSize ?? 20)));
  const offset = (page - 1) * pageSize;

  const filters: Prisma.Sql[] = [];
  // birthYear is typed smallint: the cast lets the (name words, birthYear) GIN index narrow by year itself.
  const year = birth.year ?? (birth.date ? Number(birth.date.slice(0, 4)) : undefined);
  if (year !== undefined) filters.push(Prisma.sql`p."birthYear" = ${year}::smallint`);
  if (birth.date) filters.push(Prisma.sql`p."birthDate" = ${birth.date}`);
  if (phone) filters.push(Prisma.sql`p.phone = ${phone}`);
  const extra = filters.length ? Prisma.sql` AND ${Prisma.join(filters, ' AND ')}` : Prisma.empty;

  const candidates = identifierCandidates(q);
  let raw: RawRow[];
  let kind: SearchResult['kind'];
  let fuzzy = false;
  if (candidates.length > 0) {
    kind = 'identifier';
    const pairs = Prisma.join(candidates.map((c) => Prisma.sql`(${c.system}::"IdentifierSystem", ${c.value})`));
    raw = await db.$queryRaw<RawRow[]>`${selectRow(input.facilityId)}
      FROM "Patient" p WHERE p.id IN (SELECT "patientId" FROM "PatientIdentifier" WHERE (system, value) IN (${pairs})
        AND ("assigningFacilityId" IS NULL OR "assigningFacilityId" = ${input.facilityId}::uuid))${extra}
      ORDER BY p."mergedIntoId" NULLS FIRST, p."createdAt" LIMIT ${pageSize + 1} OFFSET ${offset}`;
  } else {
    kind = 'name';
    const name = normalizeVietnameseName(q);
    const tokens = nameTokens(name);
    // Every typed word present as a whole word, in any order: served by the GIN index on the name's words.
    raw = await db.$queryRaw<RawRow[]>`${selectRow(input.facilityId)}
      FROM "Patient" p WHERE ${NAME_WORDS} @> ${tokens}::text[]${extra}
      ORDER BY p."mergedIntoId" NULLS FIRST, length(p."normalizedName"), p.id
      LIMIT ${pageSize + 1} OFFSET ${offset}`;
    if (raw.length === 0 && page === 1) {
      // Nothing word for word: a typo or a missing letter. See fuzzyName.
      fuzzy = true;
      raw = await fuzzyName(db, name, tokens, extra, pageSize, input.facilityId);
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

/** The words of a normalized name, as the index sees them: string_to_array(normalizedName, ' '). */
export function nameTokens(normalizedName: string): string[] {
  return [...new Set(normalizedName.split(' ').filter((t) => t.length > 0))].slice(0, 6);
}

/** Must match the expression of the index "Patient_nameWords_birthYear_idx" exactly, or the index is not used. */
const NAME_WORDS = Prisma.sql`string_to_array(p."normalizedName", ' ')`;

/** Per typed word, how many closest spellings by trigram similarity to add; a tuning choice, not from a spec. */
const TRIGRAM_ALTERNATIVES = 5;
const LETTERS = 'abcdefghijklmnopqrstuvwxyz';

/**
 * The word and every string one edit away (a letter deleted, replaced, inserted, or two neighbours swapped).
 * Trigram similarity alone misses one typo in a short word ('thi' → 'tai' share one trigram of seven), and
 * Vietnamese names are mostly short words, so these are looked up in the vocabulary as well.
 */
export function oneEditAway(word: string): string[] {
  const out = new Set<string>([word]);
  for (let i = 0; i <= word.length; i++) {
    const head = word.slice(0, i);
    const tail = word.slice(i);
    if (tail) out.add(head + tail.slice(1));
    if (tail.length > 1) out.add(head + tail[1] + tail[0] + tail.slice(2));
    for (const c of LETTERS) {
      if (tail) out.add(head + c + tail.slice(1));
      out.add(head + c + tail);
    }
  }
  out.delete('');
  return [...out];
}

/**
 * Typo-tolerant search. 1) Each typed word's spellings that some patient has: the word itself and every string
 * one edit away, looked up in "PatientNameWord" (every word of every patient's name, kept by a trigger) by its
 * primary key, plus its closest words by trigram similarity (pg_trgm `%`, default threshold 0.3) for a word with
 * more than one slip. 2) Patients whose name holds every typed word as typed but one, and one of that word's
 * spellings (one GIN probe per word, OR-ed): a slip in one word keeps the candidates few. 3) Only if that finds
 * nobody, slips in several words: one spelling of every word. Closest whole name first. A name that matches
 * nobody costs a few index probes instead of a trigram scan of the whole table.
 */
async function fuzzyName(
  db: DbTx,
  name: string,
  tokens: string[],
  extra: Prisma.Sql,
  pageSize: number,
  facilityId: string,
): Promise<RawRow[]> {
  const variants = tokens.map((t) => oneEditAway(t));
  const index = variants.flatMap((v, i) => v.map(() => i + 1));
  const spellings = await db.$queryRaw<{ i: number; word: string; near: boolean }[]>`
    SELECT v.i, n.word, true AS near FROM unnest(${index}::int[], ${variants.flat()}::text[]) AS v(i, word)
      JOIN "PatientNameWord" n ON n.word = v.word
    UNION
    SELECT t.i::int, s.word, false FROM unnest(${tokens}::text[]) WITH ORDINALITY AS t(word, i)
      CROSS JOIN LATERAL (SELECT word FROM "PatientNameWord" WHERE word % t.word
                          ORDER BY similarity(word, t.word) DESC, word LIMIT ${TRIGRAM_ALTERNATIVES}) s`;
  const perWord = tokens.map((_, i) => {
    const found = spellings.filter((s) => Number(s.i) === i + 1);
    // Trigram neighbours only when no spelling one edit away exists: fewer alternatives, fewer candidates to rank.
    const near = found.filter((s) => s.near);
    return (near.some((s) => s.word !== tokens[i]) ? near : found).map((s) => s.word);
  });
  if (perWord.some((words) => words.length === 0)) return [];
  const run = (where: Prisma.Sql) => db.$queryRaw<RawRow[]>`${selectRow(facilityId)}
    FROM "Patient" p WHERE (${where})${extra}
    ORDER BY similarity(p."normalizedName", ${name}) DESC, p."mergedIntoId" NULLS FIRST, p.id
    LIMIT ${pageSize}`;
  const known = new Set(spellings.map((s) => s.word));
  const slipIn = tokens
    .map((_, i) => ({ i, others: tokens.filter((t, j) => j !== i) }))
    // a branch needs every other word to exist as typed
    .filter(({ others }) => others.every((t) => known.has(t)))
    .map(({ i, others }) =>
      others.length
        ? // the word as typed is left out: with the others as typed, that is the exact search that found nobody
          Prisma.sql`(${NAME_WORDS} @> ${others}::text[] AND ${NAME_WORDS} && ${perWord[i]!.filter((w) => w !== tokens[i])}::text[])`
        : Prisma.sql`${NAME_WORDS} && ${perWord[i]}::text[]`,
    );
  if (slipIn.length > 0) {
    const rows = await run(Prisma.join(slipIn, ' OR '));
    if (rows.length > 0 || tokens.length === 1) return rows;
  }
  return run(
    Prisma.join(
      perWord.map((words) => Prisma.sql`${NAME_WORDS} && ${words}::text[]`),
      ' AND ',
    ),
  );
}
