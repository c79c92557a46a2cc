/** Help-desk services and outcomes with their Vietnamese labels (safe to import in the browser). */
export const HELPDESK_SERVICES = ['ACTIVATE_VNEID_HEALTH_BOOK', 'LINK_BHYT'] as const;
export const HELPDESK_OUTCOMES = ['DONE', 'NOT_LEVEL_2', 'NO_PHONE', 'OTHER'] as const;
export type HelpdeskService = (typeof HELPDESK_SERVICES)[number];
export type HelpdeskOutcome = (typeof HELPDESK_OUTCOMES)[number];

export const SERVICE_LABELS: Record<HelpdeskService, string> = {
  ACTIVATE_VNEID_HEALTH_BOOK: 'Kích hoạt Sổ sức khỏe điện tử',
  LINK_BHYT: 'Tích hợp thẻ BHYT vào VNeID',
};
export const OUTCOME_LABELS: Record<HelpdeskOutcome, string> = {
  DONE: 'Hoàn thành',
  NOT_LEVEL_2: 'Chưa có tài khoản mức 2',
  NO_PHONE: 'Không có điện thoại',
  OTHER: 'Khác',
};
