/** What an import did, row by row: the report's and the admin page's counts. */
export type ImportCounts = {
  /** non-blank rows under the header */
  read: number;
  blank: number;
  created: number;
  /** matched an existing record and added something to it */
  enriched: number;
  /** matched an existing record that already had everything */
  identical: number;
  /** exact copies of an earlier row of the file */
  duplicates: number;
  /** more rows of a person already described by an earlier row (their data folded into it) */
  folded: number;
  conflicts: number;
  rejected: number;
  /** rows imported with a remark (e.g. an unreadable phone number left out) */
  notes: number;
};

/** Counts with every field present (0 unless given). */
export function importCounts(c: Partial<ImportCounts> = {}): ImportCounts {
  return {
    read: 0,
    blank: 0,
    created: 0,
    enriched: 0,
    identical: 0,
    duplicates: 0,
    folded: 0,
    conflicts: 0,
    rejected: 0,
    notes: 0,
    ...c,
  };
}
