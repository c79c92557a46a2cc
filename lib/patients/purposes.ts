/** Why a staff member looks a patient up. Chosen before any search that reveals a patient; kept in the audit log. */
export const PURPOSES = {
  SUPPORT_PATIENT: { vi: 'Hỗ trợ người bệnh', en: 'Helping the patient' },
  BHYT_RECONCILIATION: { vi: 'Đối soát BHYT', en: 'BHYT reconciliation' },
  FIX_RECORD: { vi: 'Sửa hồ sơ', en: 'Correcting the record' },
  VNEID_HELPDESK: { vi: 'Hỗ trợ VNeID', en: 'VNeID help desk' },
} as const;
export type Purpose = keyof typeof PURPOSES;
export const PURPOSE_CODES = Object.keys(PURPOSES) as Purpose[];

export function isPurpose(value: unknown): value is Purpose {
  return typeof value === 'string' && value in PURPOSES;
}
