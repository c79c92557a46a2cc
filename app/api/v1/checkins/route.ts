import { apiRoute, jsonError } from '@/app/_lib/guard';
import { getDb } from '@/lib/db/client';
import { checkIn, checkinResponse, checkinSchema, type CheckinNotFoundResponse } from '@/lib/encounters/check-in';
import { verifyBhytAfterCheckIn } from '@/lib/encounters/bhyt-after-check-in';

/**
 * Check a patient in (desk page and kiosks): 201 new encounter, 200 the one already open today, 404 no such
 * patient (with the parsed identity to pre-fill the form, and likely duplicates as masked summaries), 400
 * unreadable input, 409 identifiers belonging to different records or (SEEN_TODAY_OTHER_ROOM) a patient already
 * seen today in another room — send again with `confirmSecondRoom: true` —, 429 too many not-found answers.
 * Shapes: `CheckinResponse` / `CheckinNotFoundResponse` in lib/encounters/check-in.ts.
 */
export const POST = apiRoute({ area: 'desk', body: checkinSchema }, async ({ principal, body }) => {
  const db = getDb();
  const result = await checkIn(db, principal, body);
  switch (result.status) {
    case 'invalid':
      return jsonError(400, result.code, result.message);
    case 'conflict':
      return jsonError(409, 'IDENTIFIER_CONFLICT', result.message);
    case 'seen-today':
      return jsonError(409, 'SEEN_TODAY_OTHER_ROOM', result.message, {
        patient: result.patient,
        visits: result.visits,
      });
    case 'rate-limited':
      return jsonError(429, 'TOO_MANY_NOT_FOUND', result.message, { retryAfterSeconds: result.retryAfterSeconds });
    case 'not-found': {
      const body: CheckinNotFoundResponse = {
        error: { code: 'PATIENT_NOT_FOUND', message: result.message },
        identity: result.identity,
        candidates: result.candidates,
        warnings: result.warnings,
        his: result.his,
      };
      return Response.json(body, { status: 404, headers: { 'cache-control': 'no-store' } });
    }
    default: {
      const bhyt = await verifyBhytAfterCheckIn(db, principal, result.encounter);
      return Response.json(checkinResponse(result, bhyt), {
        status: result.status === 'created' ? 201 : 200,
        headers: { 'cache-control': 'no-store' },
      });
    }
  }
});
