/**
 * next-auth's client sign-out, loaded when used: every staff page has a sign-out button and the idle guard, and
 * importing next-auth/react into them put its whole client (session provider, CSRF and provider helpers) in
 * every page's first-load JavaScript for a click that happens once a shift.
 */
export async function signOut(options: { callbackUrl: string }): Promise<void> {
  const { signOut: nextAuthSignOut } = await import('next-auth/react');
  await nextAuthSignOut(options);
}
