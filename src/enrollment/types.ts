/**
 * Enrollment table types (declared into the shared Tables). Owns psn, psn_card, psn_insu, psn_idet,
 * psn_acct_ledger and psn_family (migration 0006).
 */
import type { Generated } from 'kysely';

export interface PsnTable {
  psn_no: string;
  psn_cert_type: string;
  certno: string;
  psn_name: string;
  gend: string;
  brdy: string;
  naty: string;
  psn_type: string;
  cvlserv_flag: string;
  emp_name: string | null;
  tel: string | null;
  addr: string | null;
  death_date: string | null;
  crte_time: Generated<Date>;
  updt_time: Generated<Date>;
}

export interface PsnCardTable {
  card_no: string;
  card_sn: string | null;
  psn_no: string;
  card_stas: string;
  begndate: string;
  enddate: string | null;
}

export interface PsnInsuTable {
  psn_insu_rltsid: Generated<number>;
  psn_no: string;
  insutype: string;
  psn_insu_stas: string;
  insuplc_admdvs: string;
  psn_type: string;
  emp_name: string | null;
  crt_insu_date: string;
  paus_insu_date: string | null;
  memo: string | null;
  begndate: string;
  enddate: string | null;
}

export interface PsnIdetTable {
  psn_no: string;
  psn_idet_type: string;
  psn_type_lv: string | null;
  memo: string | null;
  begndate: string;
  enddate: string | null;
}

export interface PsnAcctLedgerTable {
  acct_ledger_id: Generated<number>;
  psn_no: string;
  insutype: string;
  move_type: string;
  amt: string;
  ref_type: string | null;
  ref_id: string | null;
  memo: string | null;
  move_time: Generated<Date>;
}

export interface PsnFamilyTable {
  psn_no: string;
  mem_psn_no: string;
  rlts: string;
  begndate: string;
  enddate: string | null;
}

declare module '../platform/db.js' {
  interface Tables {
    psn: PsnTable;
    psn_card: PsnCardTable;
    psn_insu: PsnInsuTable;
    psn_idet: PsnIdetTable;
    psn_acct_ledger: PsnAcctLedgerTable;
    psn_family: PsnFamilyTable;
  }
}

export const INSU_STAS = { '1': '正常参保', '2': '暂停参保', '3': '无效参保', '4': '终止参保' } as const;
export const FAMILY_RLTS = { '10': '配偶', '20': '子女', '30': '父母', '40': '其他' } as const;
/** Special identities used by medical assistance (local code table; values as commonly used by provinces). */
export const IDET_TYPES = { '2201': '特困供养人员', '2202': '最低生活保障对象', '2203': '返贫致贫人口', '2204': '低保边缘家庭成员' } as const;
