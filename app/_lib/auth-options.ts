import type { NextAuthOptions } from 'next-auth';
import CredentialsProvider from 'next-auth/providers/credentials';
import { getDb } from '@/lib/db/client';
import { login } from '@/lib/auth/login';
import { endSession } from '@/lib/auth/sessions';
import { log } from '@/lib/log';

/**
 * next-auth (credentials, JWT cookie). The JWT carries only the server-side session id: idle expiry,
 * sign-out and lock-out are decided by the UserSession row on every request (app/_lib/guard.ts).
 */
export const authOptions: NextAuthOptions = {
  secret: process.env.NEXTAUTH_SECRET,
  session: { strategy: 'jwt', maxAge: 12 * 60 * 60 }, // a hard upper bound; idle expiry is stricter
  pages: { signIn: '/login', error: '/login' },
  providers: [
    CredentialsProvider({
      name: 'credentials',
      credentials: { username: { type: 'text' }, password: { type: 'password' } },
      async authorize(credentials, req) {
        const username = String(credentials?.username ?? '').trim().toLowerCase().slice(0, 64);
        const password = String(credentials?.password ?? '').slice(0, 256);
        if (!username || !password) throw new Error('INVALID');
        const forwarded = req?.headers?.['x-forwarded-for'];
        const ip = (Array.isArray(forwarded) ? forwarded[0] : forwarded)?.split(',')[0]?.trim() ?? null;
        const result = await login(getDb(), username, password, ip);
        if (!result.ok) {
          throw new Error(result.reason === 'LOCKED' ? `LOCKED:${result.lockedUntil.toISOString()}` : 'INVALID');
        }
        log.info({ userId: result.userId, role: result.role }, 'signed in');
        return { id: result.userId, name: result.username, role: result.role, sid: result.sessionId } as never;
      },
    }),
  ],
  callbacks: {
    async jwt({ token, user }) {
      if (user) token.sid = (user as unknown as { sid: string }).sid;
      return token;
    },
    async session({ session, token }) {
      return { ...session, sid: token.sid } as typeof session;
    },
  },
  events: {
    async signOut({ token }) {
      if (token?.sid) await endSession(getDb(), String(token.sid), 'LOGOUT');
    },
  },
};
