/**
 * `maKetQua` result codes of the BHXH card check (spec §6.3, from CV 1923/BHXH-CNTT's annex and HIS code),
 * and what each means for a BHYT check-in here.
 *
 * - VERIFIED: the gateway confirms a usable card. 000–004 are what production HIS code treats as success
 *   [S9]: 001/002 (BQP/BCA cards the gateway cannot fully check) still allow BHYT but the receptionist must
 *   look at the card and ID papers; 003 means the old card expired but a new one was issued, so the NEW
 *   card's data (maTheMoi …) is what we store; 004 means the presented card is still valid.
 * - REJECTED: the gateway answered about this card and it cannot be used as presented (expired, not found,
 *   wrong code/name/DOB, revoked, reduced). The desk re-enters data or switches to self-pay.
 * - UNAVAILABLE: no verdict on the card: gateway/server errors, authentication, our configuration
 *   (054/055 staff identity), malformed request (205), and unknown codes. The encounter stays
 *   "BHYT chưa xác minh" and is re-verified from the worklist.
 */
export type GatewayStatus = 'VERIFIED' | 'REJECTED' | 'UNAVAILABLE';

export type ResultCodeInfo = {
  status: GatewayStatus;
  message: string; // Vietnamese, for the receptionist
  /** Needs an administrator (facility account / staff registration), not the receptionist. */
  configError?: boolean;
  /** VERIFIED, but the receptionist must check the card and identity papers by hand. */
  manualCheck?: boolean;
};

export const RESULT_CODES: Readonly<Record<string, ResultCodeInfo>> = Object.freeze({
  '000': { status: 'VERIFIED', message: 'Thẻ BHYT hợp lệ (thông tin thẻ chính xác).' },
  '001': {
    status: 'VERIFIED',
    manualCheck: true,
    message: 'Thẻ do BHXH Bộ Quốc phòng quản lý: đối chiếu thẻ và giấy tờ tùy thân.',
  },
  '002': {
    status: 'VERIFIED',
    manualCheck: true,
    message: 'Thẻ do BHXH Bộ Công an quản lý: đối chiếu thẻ và giấy tờ tùy thân.',
  },
  '003': { status: 'VERIFIED', message: 'Thẻ cũ hết giá trị, đã được cấp thẻ mới: dùng thông tin thẻ mới.' },
  // UNCERTAIN: 003.1 ("Thẻ đã được gia hạn") is seen in one HIS only. A renewed card reads as usable, so it
  // counts as VERIFIED, but the receptionist is told to look at the card.
  '003.1': { status: 'VERIFIED', manualCheck: true, message: 'Thẻ đã được gia hạn: kiểm tra hạn sử dụng trên thẻ.' },
  '004': { status: 'VERIFIED', message: 'Thẻ cũ còn giá trị sử dụng, đã được cấp thẻ mới.' },
  '010': { status: 'REJECTED', message: 'Thẻ BHYT hết giá trị sử dụng.' },
  '050': { status: 'REJECTED', message: 'Không tìm thấy thông tin thẻ BHYT.' },
  '051': { status: 'REJECTED', message: 'Mã thẻ BHYT không đúng.' },
  '052': { status: 'REJECTED', message: 'Mã tỉnh của thẻ (ký tự thứ 4, 5) không đúng.' },
  '053': { status: 'REJECTED', message: 'Mã quyền lợi của thẻ (ký tự thứ 3) không đúng.' },
  '054': {
    status: 'UNAVAILABLE',
    configError: true,
    message: 'Số CCCD của cán bộ tra cứu chưa được đăng ký với cơ quan BHXH. Báo quản trị hệ thống.',
  },
  '055': {
    status: 'UNAVAILABLE',
    configError: true,
    message: 'Họ tên cán bộ tra cứu không khớp với số CCCD đã đăng ký. Báo quản trị hệ thống.',
  },
  '060': { status: 'REJECTED', message: 'Sai họ tên người có thẻ: kiểm tra và nhập lại.' },
  '061': { status: 'REJECTED', message: 'Sai họ tên người có thẻ (đúng ký tự đầu): kiểm tra và nhập lại.' },
  '070': { status: 'REJECTED', message: 'Sai ngày sinh người có thẻ: kiểm tra và nhập lại.' },
  '100': { status: 'UNAVAILABLE', message: 'Cổng BHXH lỗi khi lấy dữ liệu thẻ. Thử lại sau.' },
  '101': { status: 'UNAVAILABLE', message: 'Máy chủ cổng BHXH gặp lỗi. Thử lại sau.' },
  '110': { status: 'REJECTED', message: 'Thẻ BHYT đã bị thu hồi.' },
  '120': { status: 'REJECTED', message: 'Thẻ BHYT đã bị báo giảm.' },
  '121': { status: 'REJECTED', message: 'Thẻ BHYT đã bị báo giảm (chuyển ngoại tỉnh).' },
  '122': { status: 'REJECTED', message: 'Thẻ BHYT đã bị báo giảm (chuyển nội tỉnh).' },
  '123': { status: 'REJECTED', message: 'Thẻ BHYT đã bị báo giảm (thu hồi do tăng lại cùng đơn vị).' },
  '124': { status: 'REJECTED', message: 'Thẻ BHYT đã bị báo giảm (ngừng tham gia).' },
  // UNCERTAIN: 130 is a "special case" in the sources; the card was not checked, so BHYT is not confirmed
  // by the gateway. Counted as REJECTED so the desk deals with it now rather than it waiting in the worklist.
  '130': { status: 'REJECTED', message: 'Trẻ em không xuất trình thẻ: xử lý theo quy định dành cho trẻ em.' },
  '205': {
    status: 'UNAVAILABLE',
    message: 'Cổng BHXH báo sai định dạng tham số (số thẻ, họ tên hoặc ngày sinh). Kiểm tra dữ liệu rồi thử lại.',
  },
  '401': {
    status: 'UNAVAILABLE',
    configError: true,
    message: 'Cổng BHXH từ chối xác thực tài khoản kết nối. Báo quản trị hệ thống.',
  },
  '500': { status: 'UNAVAILABLE', message: 'Cổng BHXH lỗi máy chủ. Thử lại sau.' },
});

/** The table entry, or an UNAVAILABLE answer that shows the unknown code raw (an HIS crashed on one [S1]). */
export function describeResultCode(code: string): ResultCodeInfo {
  return (
    RESULT_CODES[code] ?? {
      status: 'UNAVAILABLE',
      message: `Cổng BHXH trả mã kết quả chưa biết: ${code}. Thử lại hoặc báo quản trị hệ thống.`,
    }
  );
}
