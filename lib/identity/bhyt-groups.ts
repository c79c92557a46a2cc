/**
 * BHYT beneficiary group codes (mã đối tượng, spec §3.3, QĐ 1351/QĐ-BHXH) with the usual benefit level.
 * The level printed in the code is what counts; the default here is informational only.
 * DT/DK may have been phased out (UNCERTAIN) — kept valid. 'TV' appears in one unverified list only —
 * not listed, so it produces an UNKNOWN_GROUP_CODE warning (never a rejection; the gateway decides).
 */
import type { BenefitLevel } from './types';

export type BhytGroup = { code: string; defaultLevel: BenefitLevel; description: string };

const GROUPS: ReadonlyArray<readonly [string, BenefitLevel, string]> = [
  ['DN', 4, 'Người lao động trong doanh nghiệp'],
  ['HX', 4, 'Người lao động trong hợp tác xã'],
  ['CH', 4, 'Người lao động trong cơ quan nhà nước, đơn vị sự nghiệp, tổ chức chính trị - xã hội'],
  ['NN', 4, 'Người lao động trong tổ chức nước ngoài, quốc tế tại Việt Nam'],
  ['TK', 4, 'Người lao động trong các tổ chức khác'],
  ['HC', 4, 'Cán bộ, công chức, viên chức'],
  ['XK', 4, 'Người hoạt động không chuyên trách ở cấp xã'],
  ['HT', 3, 'Người hưởng lương hưu, trợ cấp mất sức lao động hằng tháng'],
  ['TB', 4, 'Người hưởng trợ cấp tai nạn lao động, bệnh nghề nghiệp hằng tháng'],
  ['NO', 4, 'Người nghỉ việc hưởng trợ cấp ốm đau dài ngày'],
  ['CT', 4, 'Người từ 80 tuổi hưởng trợ cấp tuất hằng tháng'],
  ['XB', 4, 'Cán bộ xã đã nghỉ việc hưởng trợ cấp BHXH hằng tháng'],
  ['TN', 4, 'Người hưởng trợ cấp thất nghiệp'],
  ['CS', 4, 'Công nhân cao su nghỉ việc hưởng trợ cấp hằng tháng'],
  ['QN', 5, 'Quân nhân'],
  ['CA', 5, 'Công an nhân dân'],
  ['CY', 5, 'Người làm công tác cơ yếu'],
  ['XN', 4, 'Cán bộ xã đã nghỉ việc hưởng trợ cấp từ ngân sách nhà nước'],
  ['MS', 4, 'Người đã thôi hưởng trợ cấp mất sức lao động, hưởng trợ cấp từ ngân sách'],
  ['CC', 1, 'Người có công với cách mạng'],
  ['CK', 2, 'Người có công với cách mạng khác'],
  ['CB', 2, 'Cựu chiến binh'],
  ['KC', 2, 'Người tham gia kháng chiến'],
  ['HD', 4, 'Đại biểu Quốc hội, Hội đồng nhân dân'],
  ['TE', 1, 'Trẻ em dưới 6 tuổi'],
  ['BT', 2, 'Người hưởng trợ cấp bảo trợ xã hội hằng tháng'],
  ['HN', 2, 'Người thuộc hộ gia đình nghèo'],
  ['DT', 2, 'Người dân tộc thiểu số sống ở vùng khó khăn'],
  ['DK', 2, 'Người sống ở vùng đặc biệt khó khăn'],
  ['XD', 2, 'Người sống ở xã đảo, huyện đảo'],
  ['TS', 2, 'Thân nhân liệt sĩ'],
  ['TC', 3, 'Thân nhân người có công với cách mạng'],
  ['TQ', 4, 'Thân nhân quân nhân'],
  ['TA', 4, 'Thân nhân công an nhân dân'],
  ['TY', 4, 'Thân nhân người làm công tác cơ yếu'],
  ['HG', 4, 'Người hiến bộ phận cơ thể'],
  ['LS', 4, 'Lưu học sinh nước ngoài học bổng ngân sách Việt Nam'],
  ['PV', 4, 'Người phục vụ người có công với cách mạng'],
  ['CN', 3, 'Người thuộc hộ gia đình cận nghèo'],
  ['HS', 4, 'Học sinh'],
  ['SV', 4, 'Sinh viên'],
  ['GB', 4, 'Hộ gia đình nông, lâm, ngư, diêm nghiệp có mức sống trung bình'],
  ['GD', 4, 'Người tham gia BHYT theo hộ gia đình'],
];

export const BHYT_GROUPS: readonly BhytGroup[] = Object.freeze(
  GROUPS.map(([code, defaultLevel, description]) => Object.freeze({ code, defaultLevel, description })),
);

const BY_CODE = new Map<string, BhytGroup>(BHYT_GROUPS.map((g) => [g.code, g]));

/** Look up a 2-letter group code (case-insensitive). */
export function lookupBhytGroup(code: string): BhytGroup | undefined {
  return BY_CODE.get(code.trim().toUpperCase());
}
