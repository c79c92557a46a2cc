/** Describes a PostgreSQL URL for logs: host, port and database, never the user's password. */
export function describeDatabaseUrl(url: string): string {
  try {
    const u = new URL(url);
    const db = u.pathname.replace(/^\//, '') || '(default)';
    return `postgresql://${u.hostname}:${u.port || '5432'}/${db}`;
  } catch {
    return '(unparseable DATABASE_URL)';
  }
}

/** The same server with another database name (tests use their own databases). */
export function withDatabase(url: string, database: string): string {
  const u = new URL(url);
  u.pathname = `/${database}`;
  return u.toString();
}

/** The same URL with a PostgreSQL setting for every session it opens (`options=-c name=value`, kept alongside any others). */
export function withSessionSetting(url: string, name: string, value: string): string {
  const u = new URL(url);
  const others = (u.searchParams.get('options') ?? '').replace(new RegExp(`-c\\s*${name}=\\S*`, 'g'), '').trim();
  u.searchParams.set('options', `${others} -c ${name}=${value}`.trim());
  return u.toString();
}
