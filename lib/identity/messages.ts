/**
 * Stable error / warning codes and their Vietnamese messages for the receptionist.
 * Messages never echo the payload (it is personal data and messages may be logged).
 */
import type { IdentityError, IdentityWarning } from './types';

export const ERROR_MESSAGES = {
  EMPTY: 'Chưa nhận được dữ liệu. Vui lòng quét lại mã QR hoặc nhập số giấy tờ.',
  TOO_LONG: 'Dữ liệu quá dài (trên 4 KB), không phải mã QR giấy tờ tùy thân hay thẻ BHYT. Vui lòng quét lại.',
  UNRECOGNISED:
    'Không nhận dạng được dữ liệu. Vui lòng quét mã QR trên thẻ Căn cước/CCCD hoặc thẻ BHYT, hoặc nhập số định danh cá nhân 12 số.',
  TRUNCATED: 'Mã QR bị thiếu dữ liệu (đọc chưa hết). Vui lòng quét lại.',
  INVALID_DATE: 'Mã QR có ngày tháng không hợp lệ. Vui lòng quét lại hoặc nhập thông tin bằng tay.',
  LEGACY_COVID_QR:
    'Đây là mã QR cá nhân cũ thời COVID (PC-Covid/VNeID cũ), không dùng để tiếp đón. Vui lòng nhập số định danh cá nhân 12 số.',
  BAD_BENEFIT_LEVEL: 'Mã mức hưởng BHYT không hợp lệ (phải từ 1 đến 5). Vui lòng kiểm tra lại thẻ BHYT.',
  INTERNAL: 'Lỗi xử lý dữ liệu. Vui lòng nhập số giấy tờ bằng tay.',
} as const;

export type IdentityErrorCode = keyof typeof ERROR_MESSAGES;

export const WARNING_MESSAGES = {
  ID_BIRTH_YEAR_MISMATCH: 'Năm sinh không khớp với số định danh cá nhân. Vui lòng đối chiếu giấy tờ.',
  ID_SEX_MISMATCH: 'Giới tính không khớp với số định danh cá nhân. Vui lòng đối chiếu giấy tờ.',
  UNKNOWN_PROVINCE_CODE: 'Mã tỉnh trong số giấy tờ không có trong danh mục. Vui lòng kiểm tra lại số.',
  UNKNOWN_GROUP_CODE: 'Mã đối tượng trên thẻ BHYT không có trong danh mục. Vui lòng kiểm tra lại thẻ.',
  MANAGEMENT_CODE_MISMATCH: 'Mã quản lý trong mã QR BHYT không khớp với mã số BHXH. Vui lòng kiểm tra thẻ.',
  BENEFIT_LEVEL_MISMATCH: 'Mức hưởng trong mã QR khác với mức hưởng trong mã thẻ BHYT. Vui lòng kiểm tra thẻ.',
  NAME_DIACRITICS_LOST: 'Họ tên bị mất dấu khi quét (máy quét dạng bàn phím). Vui lòng sửa họ tên theo giấy tờ.',
  ADDRESS_DIACRITICS_LOST: 'Địa chỉ bị mất dấu khi quét. Vui lòng kiểm tra lại địa chỉ.',
  GUARDIAN_DIACRITICS_LOST: 'Tên người giám hộ bị mất dấu khi quét. Vui lòng kiểm tra lại.',
  NAME_WITHOUT_DIACRITICS: 'Họ tên không có dấu tiếng Việt. Vui lòng đối chiếu với giấy tờ.',
  MISSING_NAME: 'Mã QR không có họ tên. Vui lòng nhập họ tên theo giấy tờ.',
  UNDECODABLE_HEX: 'Một trường trong mã QR BHYT không giải mã được; đã giữ nguyên dữ liệu gốc. Vui lòng kiểm tra lại.',
  VARIANT_UNKNOWN: 'Mã QR có số trường khác thường; đã đọc các trường chính. Vui lòng đối chiếu giấy tờ.',
  OLD_ID_UNUSUAL: 'Số CMND cũ trong mã QR có định dạng lạ. Vui lòng kiểm tra lại.',
  CMND_ONLY_QR: 'Mã QR chỉ có số CMND 9 số, không có số định danh cá nhân. Vui lòng hỏi số định danh 12 số.',
  UNKNOWN_SEX: 'Không đọc được giới tính. Vui lòng chọn giới tính theo giấy tờ.',
  BIRTH_DATE_IN_FUTURE: 'Ngày sinh ở tương lai. Vui lòng kiểm tra lại.',
  AGE_IMPLAUSIBLE: 'Tuổi trên 125. Vui lòng kiểm tra lại ngày sinh.',
  ISSUE_DATE_IN_FUTURE: 'Ngày cấp ở tương lai. Vui lòng kiểm tra lại giấy tờ.',
  ISSUE_BEFORE_BIRTH: 'Ngày cấp trước ngày sinh. Vui lòng kiểm tra lại giấy tờ.',
  VALIDITY_RANGE_INVALID: 'Hạn thẻ BHYT không hợp lệ (ngày bắt đầu sau ngày kết thúc). Vui lòng kiểm tra thẻ.',
  BAD_FACILITY_CODE: 'Không đọc được mã nơi đăng ký KCB ban đầu. Vui lòng nhập bằng tay.',
} as const;

export type IdentityWarningCode = keyof typeof WARNING_MESSAGES;

export function makeError(code: IdentityErrorCode, detail?: string): IdentityError {
  const base = ERROR_MESSAGES[code];
  return { code, message: detail ? `${base} (${detail})` : base };
}

export function makeWarning(code: IdentityWarningCode): IdentityWarning {
  return { code, message: WARNING_MESSAGES[code] };
}

/** Append a warning unless one with the same code is already present. */
export function pushWarning(out: IdentityWarning[], code: IdentityWarningCode): void {
  for (const w of out) if (w.code === code) return;
  out.push(makeWarning(code));
}

/** Alternative wordings of UNRECOGNISED (same stable code, message tailored to what was seen). */
export const UNRECOGNISED_MESSAGES = {
  WRONG_LENGTH:
    'Số vừa nhập không đúng độ dài. Số định danh cá nhân có 12 chữ số, CMND có 9 chữ số, mã số BHXH có 10 chữ số, mã thẻ BHYT cũ có 15 ký tự.',
  OPAQUE:
    'Mã QR này (đường dẫn, mã VNeID hoặc mã đã mã hóa) không đọc được tại quầy. Vui lòng nhập số định danh cá nhân 12 số.',
} as const;

export function unrecognised(kind?: keyof typeof UNRECOGNISED_MESSAGES): IdentityError {
  return { code: 'UNRECOGNISED', message: kind ? UNRECOGNISED_MESSAGES[kind] : ERROR_MESSAGES.UNRECOGNISED };
}
