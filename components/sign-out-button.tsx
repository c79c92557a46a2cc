'use client';

import { signOut } from './sign-out';

export function SignOutButton({ label }: { label: string }) {
  return (
    <button
      type="button"
      onClick={() => void signOut({ callbackUrl: '/login' })}
      className="rounded-md border border-white/40 px-3 py-1 text-sm hover:bg-white/10"
    >
      {label}
    </button>
  );
}
