/** Vietnamese labels for stored codes, shared by the desk, look-up and reports. */
export const METHOD_LABELS = {
  CCCD_QR: 'QR CCCD/Căn cước',
  VNEID: 'VNeID',
  BHYT_QR: 'QR thẻ BHYT',
  TYPED_ID: 'Nhập số định danh',
  TYPED_BHYT: 'Nhập số thẻ BHYT',
  MANUAL: 'Nhập tay',
} as const;

export const PAYER_LABELS = { BHYT: 'BHYT', SELF_PAY: 'Viện phí' } as const;
export const VISIT_TYPE_LABELS = { OUTPATIENT: 'Khám bệnh', EMERGENCY: 'Cấp cứu' } as const;
export const SEX_LABELS = { M: 'Nam', F: 'Nữ' } as const;
export const BHYT_VERIFICATION_LABELS = { UNVERIFIED: 'BHYT chưa xác minh', VERIFIED: 'BHYT đã xác minh', REJECTED: 'BHYT không hợp lệ' } as const;
export const TRUST_LABELS = { CARD_VERIFIED: 'Thẻ chip/VNeID', INSURER_VERIFIED: 'BHXH xác nhận', TYPED: 'Số nhập tay', UNIDENTIFIED: 'Chưa định danh' } as const;
export const IDENTIFIER_LABELS = { PERSONAL_ID: 'Số định danh', CMND: 'CMND', BHYT_CARD: 'Mã thẻ BHYT', BHXH_NUMBER: 'Mã số BHXH', HOSPITAL_CODE: 'Mã người bệnh' } as const;

/** 'YYYY-MM-DD' or 'YYYY' → 'dd/MM/yyyy' or 'yyyy' for display. */
export function displayBirthDate(value: string | null | undefined): string {
  if (!value) return '';
  return value.length === 10 ? `${value.slice(8, 10)}/${value.slice(5, 7)}/${value.slice(0, 4)}` : value;
}
