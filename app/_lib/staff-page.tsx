import { AppShell } from '@/components/app-shell';
import { idleTimeoutMs } from '@/lib/auth/sessions';
import type { Area, Principal } from '@/lib/auth/roles';
import type { Messages } from '@/lib/i18n/messages';
import { requirePage } from './guard';
import { messages } from './lang';

/** Checks the role for `area` on the server, then renders the page inside the app shell. */
export async function staffPage(
  area: Area,
  render: (ctx: { user: Principal; t: Messages }) => Promise<React.ReactNode> | React.ReactNode,
) {
  const user = await requirePage(area);
  const t = await messages();
  return (
    <AppShell user={user} t={t} current={area} idleMs={idleTimeoutMs()}>
      {await render({ user, t })}
    </AppShell>
  );
}
