import { jsonError } from '@/app/_lib/guard';
import type { CheckinOutcome, KioskCheckinResponse } from '@/lib/kiosk/flow';

/** The kiosk's answers: a ticket (201 new, 200 today's again), the counter, a BHYT refusal to choose on, or 400. */
export function outcomeResponse(outcome: CheckinOutcome): Response {
  switch (outcome.kind) {
    case 'ticket':
      return Response.json({ ticket: outcome.ticket } satisfies KioskCheckinResponse, {
        status: outcome.created ? 201 : 200,
      });
    case 'counter':
      return Response.json({ counter: outcome.reason } satisfies KioskCheckinResponse);
    case 'bhyt':
      return Response.json({
        bhyt: { status: outcome.status, resultCode: outcome.resultCode, canSelfPay: outcome.canSelfPay },
      } satisfies KioskCheckinResponse);
    case 'invalid':
      return jsonError(400, outcome.code, outcome.message);
  }
}
