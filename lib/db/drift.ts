import { getDMMF } from '@prisma/get-dmmf';
import type * as DMMF from '@prisma/dmmf';
import type pg from 'pg';

/**
 * Compares schema.prisma with a migrated database: tables, columns, types, nullability, defaults (present or
 * not), enums, primary keys, unique constraints, indexes and foreign keys, using Prisma's default names.
 * Returns one human-readable line per difference (empty when they agree). Used by the drift test, because
 * `prisma migrate diff` needs the schema engine, which cannot be installed here.
 */

/** Objects that exist only in migration SQL because Prisma's schema language cannot express them. */
export const SQL_ONLY_INDEXES = new Set([
  'Encounter_one_active_per_room_day',
  'Patient_normalizedName_trgm_idx',
  // 20261125204000_search_intake_perf: expression + btree_gin, trigram, and INCLUDE indexes
  'Patient_nameWords_birthYear_idx',
  'PatientNameWord_word_trgm_idx',
  'Encounter_intake_covering_idx',
  'HandoffMessage_intake_covering_idx',
  // 20261201300000_patient_merged_into_index: partial (merged records only)
  'Patient_mergedIntoId_idx',
]);

type Field = DMMF.Field;

function expectedType(field: Field): string {
  const [native, args] = (field.nativeType as [string, string[]] | null | undefined) ?? [undefined, []];
  if (field.kind === 'enum') return field.type;
  switch (native) {
    case 'VarChar':
      return `character varying(${args[0]})`;
    case 'Char':
      return `character(${args[0]})`;
    case 'Uuid':
      return 'uuid';
    case 'SmallInt':
      return 'smallint';
    case 'Date':
      return 'date';
    case 'Timestamptz':
      return `timestamp(${args[0] ?? 6}) with time zone`;
    case 'Timestamp':
      return `timestamp(${args[0] ?? 6}) without time zone`;
    case undefined:
      break;
    default:
      return native.toLowerCase();
  }
  const plain: Record<string, string> = {
    String: 'text',
    Int: 'integer',
    BigInt: 'bigint',
    Boolean: 'boolean',
    Float: 'double precision',
    DateTime: 'timestamp(3) without time zone',
    Json: 'jsonb',
    Decimal: 'numeric(65,30)',
    Bytes: 'bytea',
  };
  return plain[field.type] ?? `?${field.type}`;
}

function hasDbDefault(field: Field): boolean {
  if (!field.hasDefaultValue || field.isUpdatedAt) return false;
  const d = field.default as { name?: string } | undefined;
  return !(d && typeof d === 'object' && 'name' in d && ['uuid', 'cuid', 'nanoid', 'ulid'].includes(d.name ?? ''));
}

export async function schemaDrift(schemaText: string, client: pg.ClientBase): Promise<string[]> {
  const document = getDMMF({ datamodel: schemaText });
  if ('error' in document) throw new Error(`schema.prisma does not parse: ${document.reason}`);
  const { datamodel } = document;
  const diffs: string[] = [];
  const tableOf = new Map(datamodel.models.map((m) => [m.name, m.dbName ?? m.name]));
  const columnOf = (model: string, field: string) => {
    const f = datamodel.models.find((m) => m.name === model)?.fields.find((x) => x.name === field);
    return f?.dbName ?? field;
  };

  // Enums
  const dbEnums = await client.query<{ name: string; values: string[] }>(
    `SELECT t.typname AS name, array_agg(e.enumlabel ORDER BY e.enumsortorder)::text[] AS values
     FROM pg_type t JOIN pg_enum e ON e.enumtypid = t.oid JOIN pg_namespace n ON n.oid = t.typnamespace
     WHERE n.nspname = current_schema() GROUP BY t.typname`,
  );
  const enumMap = new Map(dbEnums.rows.map((r) => [r.name, r.values.join(',')]));
  for (const e of datamodel.enums) {
    const name = e.dbName ?? e.name;
    const want = e.values.map((v) => v.dbName ?? v.name).join(',');
    if (!enumMap.has(name)) diffs.push(`enum ${name}: missing in database`);
    else if (enumMap.get(name) !== want)
      diffs.push(`enum ${name}: database has [${enumMap.get(name)}], schema has [${want}]`);
    enumMap.delete(name);
  }
  for (const name of enumMap.keys()) diffs.push(`enum ${name}: in database only`);

  // Tables and columns
  const cols = await client.query<{
    table: string;
    column: string;
    type: string;
    nullable: boolean;
    hasdefault: boolean;
  }>(
    `SELECT c.relname AS table, a.attname AS column, format_type(a.atttypid, a.atttypmod) AS type,
            NOT a.attnotnull AS nullable, a.atthasdef AS hasdefault
     FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid JOIN pg_namespace n ON n.oid = c.relnamespace
     WHERE n.nspname = current_schema() AND c.relkind = 'r' AND a.attnum > 0 AND NOT a.attisdropped
       AND c.relname <> '_prisma_migrations'`,
  );
  const dbTables = new Map<string, Map<string, (typeof cols.rows)[number]>>();
  for (const r of cols.rows) {
    if (!dbTables.has(r.table)) dbTables.set(r.table, new Map());
    dbTables.get(r.table)!.set(r.column, r);
  }
  for (const model of datamodel.models) {
    const table = tableOf.get(model.name)!;
    const dbCols = dbTables.get(table);
    if (!dbCols) {
      diffs.push(`table ${table}: missing in database`);
      continue;
    }
    for (const field of model.fields.filter((f) => f.kind === 'scalar' || f.kind === 'enum')) {
      const column = field.dbName ?? field.name;
      const actual = dbCols.get(column);
      if (!actual) {
        diffs.push(`column ${table}.${column}: missing in database`);
        continue;
      }
      const type = expectedType(field);
      const actualType = actual.type.replace(/"/g, '');
      if (actualType !== type)
        diffs.push(`column ${table}.${column}: database type ${actualType}, schema type ${type}`);
      if (actual.nullable !== !field.isRequired) {
        diffs.push(
          `column ${table}.${column}: database ${actual.nullable ? 'NULL' : 'NOT NULL'}, schema ${field.isRequired ? 'NOT NULL' : 'NULL'}`,
        );
      }
      if (actual.hasdefault !== hasDbDefault(field)) {
        diffs.push(`column ${table}.${column}: default ${actual.hasdefault ? 'in database only' : 'in schema only'}`);
      }
      dbCols.delete(column);
    }
    for (const column of dbCols.keys()) diffs.push(`column ${table}.${column}: in database only`);
    dbTables.delete(table);
  }
  for (const table of dbTables.keys()) diffs.push(`table ${table}: in database only`);

  // Indexes (primary keys, unique, normal), by name and columns
  const idx = await client.query<{ table: string; name: string; unique: boolean; primary: boolean; columns: string[] }>(
    `SELECT t.relname AS table, i.relname AS name, x.indisunique AS unique, x.indisprimary AS primary,
            array(SELECT a.attname FROM unnest(x.indkey) WITH ORDINALITY k(attnum, ord)
                  JOIN pg_attribute a ON a.attrelid = t.oid AND a.attnum = k.attnum ORDER BY k.ord)::text[] AS columns
     FROM pg_index x JOIN pg_class i ON i.oid = x.indexrelid JOIN pg_class t ON t.oid = x.indrelid
     JOIN pg_namespace n ON n.oid = t.relnamespace
     WHERE n.nspname = current_schema() AND t.relname <> '_prisma_migrations'`,
  );
  const dbIndexes = new Map(idx.rows.filter((r) => !SQL_ONLY_INDEXES.has(r.name)).map((r) => [r.name, r]));
  for (const index of datamodel.indexes) {
    const table = tableOf.get(index.model)!;
    const columns = index.fields.map((f) => columnOf(index.model, f.name));
    const suffix = index.type === 'id' ? 'pkey' : index.type === 'unique' ? 'key' : 'idx';
    const name = index.dbName ?? (index.type === 'id' ? `${table}_pkey` : `${table}_${columns.join('_')}_${suffix}`);
    const actual = dbIndexes.get(name);
    const kind = index.type === 'id' ? 'primary key' : index.type === 'unique' ? 'unique index' : 'index';
    if (!actual) {
      diffs.push(`${kind} ${name} on ${table}(${columns.join(', ')}): missing in database`);
      continue;
    }
    if (actual.columns.join(',') !== columns.join(','))
      diffs.push(`${kind} ${name}: database columns (${actual.columns.join(', ')}), schema (${columns.join(', ')})`);
    if (actual.unique !== (index.type !== 'normal')) diffs.push(`${kind} ${name}: uniqueness differs`);
    dbIndexes.delete(name);
  }
  for (const [name, r] of dbIndexes)
    diffs.push(
      `${r.primary ? 'primary key' : r.unique ? 'unique index' : 'index'} ${name} on ${r.table}: in database only`,
    );

  // Foreign keys
  const fks = await client.query<{ name: string; table: string; ref: string }>(
    `SELECT con.conname AS name, t.relname AS table, r.relname AS ref FROM pg_constraint con
     JOIN pg_class t ON t.oid = con.conrelid JOIN pg_class r ON r.oid = con.confrelid
     JOIN pg_namespace n ON n.oid = t.relnamespace WHERE con.contype = 'f' AND n.nspname = current_schema()`,
  );
  const dbFks = new Map(fks.rows.map((r) => [r.name, r]));
  for (const model of datamodel.models) {
    for (const field of model.fields.filter((f) => f.kind === 'object' && (f.relationFromFields?.length ?? 0) > 0)) {
      const table = tableOf.get(model.name)!;
      const name = `${table}_${field.relationFromFields!.map((c) => columnOf(model.name, c)).join('_')}_fkey`;
      const actual = dbFks.get(name);
      if (!actual) diffs.push(`foreign key ${name}: missing in database`);
      else if (actual.ref !== tableOf.get(field.type))
        diffs.push(`foreign key ${name}: references ${actual.ref}, schema ${tableOf.get(field.type)}`);
      dbFks.delete(name);
    }
  }
  for (const name of dbFks.keys()) diffs.push(`foreign key ${name}: in database only`);
  return diffs;
}
