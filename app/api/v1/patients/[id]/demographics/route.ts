import { apiRoute, jsonError } from '@/app/_lib/guard';
import { getDb } from '@/lib/db/client';
import { correctDemographics, type DemographicsUpdateResponse } from '@/lib/patients/corrections';
import { cardUpdateSchema, patientIdSchema } from '@/lib/patients/schemas';

const body = cardUpdateSchema;

/** `POST /api/v1/patients/:id/demographics` — the desk's "cập nhật từ thẻ": the card's values replace the record's. */
export const POST = apiRoute<typeof body, { id: string }>(
  { area: 'desk', body },
  async ({ principal, body, params }) => {
    if (!patientIdSchema.safeParse(params.id).success)
      return jsonError(404, 'PATIENT_NOT_FOUND', 'Không tìm thấy hồ sơ người bệnh.');
    const { dateOfBirth, ...rest } = body.change;
    const p = await correctDemographics(getDb(), principal, params.id, {
      ...rest,
      ...(dateOfBirth ? { birthDate: dateOfBirth } : {}),
      reason: body.reason,
    });
    const answer: DemographicsUpdateResponse = {
      patient: { id: p.id, fullName: p.fullName, birthDate: p.birthDate, sex: p.sex, address: p.address },
    };
    return Response.json(answer);
  },
);
