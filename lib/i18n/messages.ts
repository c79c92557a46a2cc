/** UI text: Vietnamese first, English second. Keys are grouped by screen. */
export const LANGS = ['vi', 'en'] as const;
export type Lang = (typeof LANGS)[number];

const vi = {
  appName: 'Tiếp đón',
  appTagline: 'Tiếp nhận người bệnh bằng CCCD, VNeID, số định danh và thẻ BHYT',
  nav: { desk: 'Tiếp đón', search: 'Tra cứu', reports: 'Báo cáo', admin: 'Quản trị' },
  role: { RECEPTIONIST: 'Lễ tân', SUPPORT: 'Hỗ trợ', MANAGER: 'Quản lý', ADMIN: 'Quản trị' },
  signOut: 'Đăng xuất',
  language: 'English',
  login: {
    title: 'Đăng nhập',
    username: 'Tên đăng nhập',
    password: 'Mật khẩu',
    submit: 'Đăng nhập',
    working: 'Đang đăng nhập…',
    invalid: 'Sai tên đăng nhập hoặc mật khẩu.',
    locked: 'Tài khoản tạm khóa do nhập sai nhiều lần. Thử lại sau {time}.',
    idle: 'Phiên làm việc đã hết hạn do không hoạt động. Vui lòng đăng nhập lại.',
    error: 'Không đăng nhập được. Vui lòng thử lại.',
  },
  forbidden: { title: 'Không có quyền truy cập', body: 'Tài khoản của bạn không được phép mở trang này.', home: 'Về trang của tôi' },
  desk: { title: 'Tiếp đón người bệnh', scanHint: 'Quét mã QR trên CCCD, VNeID hoặc thẻ BHYT, hoặc nhập số định danh / số thẻ BHYT.' },
  search: { title: 'Tra cứu người bệnh' },
  reports: { title: 'Báo cáo tiếp nhận' },
  admin: { title: 'Quản trị', facility: 'Cơ sở', rooms: 'Phòng khám', users: 'Người dùng', apiKeys: 'Khóa API' },
  comingNext: 'Chức năng đang được xây dựng.',
};

type Messages = typeof vi;

const en: Messages = {
  appName: 'Tiếp đón',
  appTagline: 'Patient check-in by chip ID card, VNeID, personal ID and health-insurance card',
  nav: { desk: 'Check-in', search: 'Look-up', reports: 'Reports', admin: 'Admin' },
  role: { RECEPTIONIST: 'Receptionist', SUPPORT: 'Support', MANAGER: 'Manager', ADMIN: 'Administrator' },
  signOut: 'Sign out',
  language: 'Tiếng Việt',
  login: {
    title: 'Sign in',
    username: 'Username',
    password: 'Password',
    submit: 'Sign in',
    working: 'Signing in…',
    invalid: 'Wrong username or password.',
    locked: 'Account locked after too many failed attempts. Try again after {time}.',
    idle: 'Your session ended after a period of inactivity. Please sign in again.',
    error: 'Could not sign in. Please try again.',
  },
  forbidden: { title: 'Access denied', body: 'Your account may not open this page.', home: 'Go to my page' },
  desk: { title: 'Patient check-in', scanHint: 'Scan the QR code on a chip ID card, VNeID or BHYT card, or type a personal ID / BHYT number.' },
  search: { title: 'Patient look-up' },
  reports: { title: 'Intake reports' },
  admin: { title: 'Administration', facility: 'Facility', rooms: 'Exam rooms', users: 'Users', apiKeys: 'API keys' },
  comingNext: 'This feature is being built.',
};

export const MESSAGES: Record<Lang, Messages> = { vi, en };
export type { Messages };

export function isLang(value: unknown): value is Lang {
  return typeof value === 'string' && (LANGS as readonly string[]).includes(value);
}
