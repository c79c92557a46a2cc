/**
 * Made-up people and BHYT cards for the gateway simulator (development and tests). Synthetic throughout:
 * Ninh Thuận (58) codes, like the demo facility 58999; personal IDs follow the 12-digit layout
 * (province 058, century/sex digit, 2-digit birth year, 6 digits).
 */
import type { SimCard } from './simulator';
import type { Sex } from '../codes';
import { formatIsoDate } from '../time/local-day';

const AGENCY = 'BHXH tỉnh Ninh Thuận (mô phỏng)';

function card(resultCode: string, keys: string[], data: Record<string, string>): SimCard {
  return {
    resultCode,
    keys,
    data: { cqBHXH: AGENCY, maDKBD: '58999', maKV: '', ngayDu5Nam: '', maTheCu: '', maTheMoi: '', ...data },
  };
}

export type DemoPerson = {
  fullName: string;
  dateOfBirth: string;
  sex: Sex;
  personalId: string;
  cardCode: string;
  bhxhNumber: string;
  resultCode: string;
};

/** The people behind DEMO_CARDS, in our formats (ISO dates), for seeding patients that match. */
export const DEMO_PEOPLE: DemoPerson[] = [
  {
    fullName: 'Nguyễn Thị Hồng Nhung',
    dateOfBirth: '1986-03-12',
    sex: 'F',
    personalId: '058186001234',
    cardCode: 'GD4585812345601',
    bhxhNumber: '5812345601',
    resultCode: '000',
  },
  {
    fullName: 'Chế Văn Lộc',
    dateOfBirth: '1979-07-21',
    sex: 'M',
    personalId: '058079004321',
    cardCode: 'QN5975812345602',
    bhxhNumber: '5812345602',
    resultCode: '001',
  },
  {
    fullName: 'Phạm Gia Huy',
    dateOfBirth: '2021-02-14',
    sex: 'M',
    personalId: '058221000777',
    cardCode: 'TE1585812345603',
    bhxhNumber: '5812345603',
    resultCode: '003',
  },
  {
    fullName: 'Đàng Thị Yến',
    dateOfBirth: '1990-11-02',
    sex: 'F',
    personalId: '058190005555',
    cardCode: 'HN2585812345604',
    bhxhNumber: '5812345604',
    resultCode: '010',
  },
  {
    fullName: 'Lý Minh Tài',
    dateOfBirth: '1995-05-30',
    sex: 'M',
    personalId: '058095006666',
    cardCode: 'DN4015812345605',
    bhxhNumber: '5812345605',
    resultCode: '120',
  },
  {
    fullName: 'Võ Thị Thu Hà',
    dateOfBirth: '1948',
    sex: 'F',
    personalId: '058148007777',
    cardCode: 'HT3585812345606',
    bhxhNumber: '5812345606',
    resultCode: '000',
  },
];

const holder = (p: DemoPerson) => ({
  maThe: p.cardCode,
  hoTen: p.fullName.toLocaleUpperCase('vi-VN'),
  ngaySinh: formatIsoDate(p.dateOfBirth),
  gioiTinh: p.sex === 'M' ? 'Nam' : 'Nữ',
  diaChi: 'Phường Phủ Hà, Tỉnh Khánh Hòa',
  maSoBHXH: p.bhxhNumber,
});
const keys = (p: DemoPerson) => [p.cardCode, p.bhxhNumber, p.personalId];

export const DEMO_CARDS: SimCard[] = [
  card('000', keys(DEMO_PEOPLE[0]!), {
    ...holder(DEMO_PEOPLE[0]!),
    gtTheTu: '01/01/2026',
    gtTheDen: '31/12/2026',
    ngayDu5Nam: '01/01/2024',
  }),
  card('001', keys(DEMO_PEOPLE[1]!), {
    ...holder(DEMO_PEOPLE[1]!),
    maDKBD: '58001',
    gtTheTu: '01/01/2026',
    gtTheDen: '31/12/2026',
  }),
  card('003', keys(DEMO_PEOPLE[2]!), {
    ...holder(DEMO_PEOPLE[2]!),
    gtTheTu: '14/02/2021',
    gtTheDen: '13/02/2026',
    maTheMoi: 'TE1585812345699',
    gtTheTuMoi: '14/02/2026',
    gtTheDenMoi: '30/09/2027',
    maDKBDMoi: '58999',
    tenDKBDMoi: 'Trung tâm Y tế Demo',
  }),
  card('010', keys(DEMO_PEOPLE[3]!), { ...holder(DEMO_PEOPLE[3]!), gtTheTu: '01/01/2024', gtTheDen: '31/12/2024' }),
  card('120', keys(DEMO_PEOPLE[4]!), {
    ...holder(DEMO_PEOPLE[4]!),
    maDKBD: '01001',
    gtTheTu: '01/01/2026',
    gtTheDen: '31/12/2026',
  }),
  card('000', keys(DEMO_PEOPLE[5]!), {
    ...holder(DEMO_PEOPLE[5]!),
    maKV: 'K1',
    gtTheTu: '01/01/2026',
    gtTheDen: '31/12/2026',
    ngayDu5Nam: '01/01/2016',
  }),
];
