import type { Method, PayerCode } from './intake';

export const METHOD_LABELS: Record<Method, string> = {
  CCCD_QR: 'Quét QR CCCD',
  VNEID: 'VNeID',
  BHYT_QR: 'Quét QR thẻ BHYT',
  TYPED_ID: 'Nhập số định danh',
  TYPED_BHYT: 'Nhập mã thẻ BHYT',
  MANUAL: 'Nhập tay',
};
export const PAYER_LABELS: Record<PayerCode, string> = { BHYT: 'BHYT', SELF_PAY: 'Viện phí' };
