/**
 * A catalogue template filled in (like lib/i18n/messages.ts `fill`), with the values named in `vi` — data such as
 * room names, always Vietnamese — marked lang="vi", so an English page does not claim them as English.
 */
export function Filled({
  template,
  vars,
  vi = [],
}: {
  template: string;
  vars: Record<string, string | number>;
  vi?: string[];
}) {
  return (
    <>
      {template.split(/(\{\w+\})/).map((part, i) => {
        const key = /^\{(\w+)\}$/.exec(part)?.[1];
        if (!key || !(key in vars)) return part;
        return vi.includes(key) ? (
          <span key={i} lang="vi">
            {vars[key]}
          </span>
        ) : (
          String(vars[key])
        );
      })}
    </>
  );
}
