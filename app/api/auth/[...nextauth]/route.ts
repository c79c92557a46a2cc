import NextAuth from 'next-auth';
import { NextRequest } from 'next/server';
import { authOptions } from '@/app/_lib/auth-options';
import { bodyTooLarge, crossSiteRefusal } from '@/app/_lib/guard';
import { readLimited } from '@/lib/http/body';

const handler = NextAuth(authOptions);

/** A sign-in form (user name, password, next-auth's CSRF token, callback URL) is a few hundred bytes. */
const MAX_AUTH_BODY_BYTES = 8 * 1024;

type Context = { params: Promise<{ nextauth: string[] }> };

/**
 * next-auth's own POSTs (sign-in, sign-out) are form posts with its CSRF token; before them: the same-origin check
 * of every cookie write, and the body read under a cap while it streams (next-auth would read any size).
 */
async function POST(req: NextRequest, context: Context): Promise<Response> {
  const refusal = crossSiteRefusal(req);
  if (refusal) return refusal;
  const body = await readLimited(req, MAX_AUTH_BODY_BYTES);
  if (!body) return bodyTooLarge(MAX_AUTH_BODY_BYTES);
  return handler(
    new NextRequest(req.url, { method: 'POST', headers: req.headers, body: new Uint8Array(body) }),
    context,
  );
}

export { handler as GET, POST };
