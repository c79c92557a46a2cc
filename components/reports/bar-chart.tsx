/** Horizontal bars drawn with CSS (no chart library): label, bar, number; an optional comparison bar in grey. */
export function BarChart({
  title,
  rows,
}: {
  title: string;
  rows: { label: string; value: number; compare?: number; lang?: string }[];
}) {
  const max = Math.max(1, ...rows.flatMap((r) => [r.value, r.compare ?? 0]));
  return (
    <figure aria-label={title} className="rounded-xl border border-slate-200 bg-white p-4">
      <figcaption className="mb-2 font-semibold">{title}</figcaption>
      <table className="w-full text-sm">
        <tbody>
          {rows.map((r) => (
            <tr key={r.label}>
              <th scope="row" lang={r.lang} className="w-40 py-0.5 pr-2 text-left font-normal text-slate-700">
                {r.label}
              </th>
              <td className="py-0.5">
                <div
                  className="h-3 rounded bg-brand-600"
                  style={{ width: `${(r.value / max) * 100}%`, minWidth: r.value ? 2 : 0 }}
                />
                {r.compare !== undefined && (
                  <div className="mt-0.5 h-1.5 rounded bg-slate-300" style={{ width: `${(r.compare / max) * 100}%` }} />
                )}
              </td>
              <td className="w-12 py-0.5 text-right tabular-nums">{r.value}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </figure>
  );
}

/** Check-ins per local hour as columns, with last week's same weekday as a grey line of ticks. */
export function HourChart({
  title,
  hours,
  compare,
  legend,
}: {
  title: string;
  hours: number[];
  compare: number[];
  legend: [string, string];
}) {
  const first = Math.min(6, ...hours.map((n, h) => (n || compare[h] ? h : 24)));
  const last = Math.max(17, ...hours.map((n, h) => (n || compare[h] ? h : 0)));
  const range = hours.slice(first, last + 1).map((n, i) => ({ h: first + i, n, c: compare[first + i] ?? 0 }));
  const max = Math.max(1, ...range.flatMap((r) => [r.n, r.c]));
  return (
    <figure aria-label={title} className="rounded-xl border border-slate-200 bg-white p-4">
      <figcaption className="mb-2 font-semibold">
        {title}
        {/* The squares carry the bars' colours; the words stay dark enough to read (≥ 4.5:1). */}
        <span className="ml-2 text-xs font-normal text-slate-700">
          <span aria-hidden="true" className="text-brand-600">
            ■
          </span>{' '}
          {legend[0]} ·{' '}
          <span aria-hidden="true" className="text-slate-400">
            ■
          </span>{' '}
          {legend[1]}
        </span>
      </figcaption>
      <div className="flex h-40 items-end gap-1">
        {range.map((r) => (
          <div
            key={r.h}
            className="flex h-full flex-1 flex-col items-center justify-end"
            title={`${r.h}:00 — ${r.n} (${r.c})`}
          >
            <span className="text-[10px] tabular-nums">{r.n || ''}</span>
            <div className="flex w-full items-end justify-center gap-px" style={{ height: '100%' }}>
              <div className="w-1/2 rounded-t bg-brand-600" style={{ height: `${(r.n / max) * 100}%` }} />
              <div className="w-1/3 rounded-t bg-slate-300" style={{ height: `${(r.c / max) * 100}%` }} />
            </div>
            <span className="text-[10px] text-slate-600">{r.h}h</span>
          </div>
        ))}
      </div>
    </figure>
  );
}
