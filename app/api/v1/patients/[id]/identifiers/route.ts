import { z } from '@/lib/validation';
import { apiRoute, jsonError } from '@/app/_lib/guard';
import { getDb } from '@/lib/db/client';
import { addIdentifier, type IdentifierAddedResponse } from '@/lib/patients/corrections';
import { checkedIdentifier, identifierFields } from '@/lib/identity/schemas';
import { patientIdSchema } from '@/lib/patients/schemas';
import { reasonSchema } from '@/lib/patients/schemas';

// The value is checked (and normalised) by its system's schema, the same one check-in and the import use.
const body = checkedIdentifier(
  z
    .object({
      ...identifierFields,
      replacesId: patientIdSchema.optional(),
      reason: reasonSchema,
    })
    .strict(),
);

/** Adds an identifier, optionally retiring the one it replaces (e.g. CMND → CCCD). Repeating it is harmless. */
export const POST = apiRoute<typeof body, { id: string }>(
  { area: 'search', body },
  async ({ principal, body, params }) => {
    if (!patientIdSchema.safeParse(params.id).success)
      return jsonError(404, 'NOT_FOUND', 'Không tìm thấy hồ sơ người bệnh.');
    const identifier = await addIdentifier(getDb(), principal, params.id, body);
    return Response.json({ id: identifier.id, system: identifier.system } satisfies IdentifierAddedResponse, {
      status: 201,
    });
  },
);
