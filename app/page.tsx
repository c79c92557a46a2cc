import { redirect } from 'next/navigation';
import { homePath } from '@/lib/auth/roles';
import { currentUser } from './_lib/guard';

export const dynamic = 'force-dynamic';

export default async function Home() {
  const user = await currentUser();
  redirect(user ? homePath(user.role) : '/login');
}
