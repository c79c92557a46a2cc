import type { NextAuthOptions } from 'next-auth';
import CredentialsProvider from 'next-auth/providers/credentials';
import { getDb } from '@/lib/db/client';
import { login } from '@/lib/auth/login';
import { endSession, sessionMaxMs } from '@/lib/auth/sessions';
import { log } from '@/lib/log';
import { clientIp } from '@/lib/net/client-ip';

/**
 * next-auth (credentials, JWT cookie). The JWT carries only the server-side session id: idle expiry,
 * sign-out and lock-out are decided by the UserSession row on every request (app/_lib/guard.ts).
 */
export const authOptions: NextAuthOptions = {
  secret: process.env.NEXTAUTH_SECRET,
  session: { strategy: 'jwt', maxAge: sessionMaxMs() / 1000 }, // the cookie lives no longer than the session row may
  pages: { signIn: '/login', error: '/login' },
  providers: [
    CredentialsProvider({
      name: 'credentials',
      credentials: { username: { type: 'text' }, password: { type: 'password' } },
      async authorize(credentials, req) {
        const username = String(credentials?.username ?? '')
          .trim()
          .toLowerCase()
          .slice(0, 64);
        const password = String(credentials?.password ?? '').slice(0, 256);
        const result = await login(getDb(), username, password, clientIp(req?.headers ?? {}));
        // One answer for unknown, disabled, locked, throttled and wrong (lib/auth/login.ts): the form says it in full.
        if (!result.ok) throw new Error('INVALID');
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
