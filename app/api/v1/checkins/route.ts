import { apiRoute, jsonError } from '@/app/_lib/guard';
import { getDb } from '@/lib/db/client';
import { checkIn, checkinSchema, verifyBhytAfterCheckIn } from '@/lib/encounters/check-in';

/**
 * Check a patient in (desk page and kiosks): 201 new encounter, 200 the one already open today, 404 no such
 * patient (with the parsed identity to pre-fill the form, and likely duplicates), 400 unreadable input,
 * 409 identifiers belonging to different records.
 */
export const POST = apiRoute({ area: 'desk', body: checkinSchema }, async ({ principal, body }) => {
  const db = getDb();
  const result = await checkIn(db, principal, body);
  switch (result.status) {
    case 'invalid':
      return jsonError(400, result.code, result.message);
    case 'conflict':
      return jsonError(409, 'IDENTIFIER_CONFLICT', result.message);
    case 'not-found':
      return Response.json({ error: { code: 'PATIENT_NOT_FOUND', message: result.message }, identity: result.identity, candidates: result.candidates, warnings: result.warnings }, { status: 404 });
    default: {
      const { patient } = result;
      const bhyt = await verifyBhytAfterCheckIn(db, principal, result.encounter);
      const encounter = bhyt ? { ...result.encounter, bhytVerification: bhyt.verification } : result.encounter;
      return Response.json({
        created: result.status === 'created',
        message: result.message,
        encounter: {
          id: encounter.id, number: encounter.number, queueNumber: encounter.queueNumber, roomCode: encounter.room.code, roomName: encounter.room.name,
          status: encounter.status, identificationMethod: encounter.identificationMethod, trustLevel: encounter.trustLevel,
          payer: encounter.payer, visitType: encounter.visitType, priority: encounter.priority, bhytVerification: encounter.bhytVerification,
          checkedInAt: encounter.checkedInAt,
        },
        patient,
        identity: result.identity,
        warnings: result.warnings,
        bhytMessage: bhyt?.message ?? null,
      }, { status: result.status === 'created' ? 201 : 200 });
    }
  }
});
