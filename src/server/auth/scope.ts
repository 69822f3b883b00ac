/**
 * Area scoping (数据权限): a user works in one area (admdvs) and sees what belongs to it and to every area under
 * it — 990100 covers 990100, 990102 …; the province 990000 covers everything under 99; 000000 covers all.
 * An institution user sees only its own institution. The rules of what "belongs" to an area:
 *   persons       — an insurance relation (psn_insu.insuplc_admdvs) in the area, current or past;
 *   institutions  — fixmedins.admdvs in the area; practitioners — through their institution;
 *   operation log — opt_log.admdvs in the area; rows without an area (node-wide loads, imports, logins)
 *                   only for users whose area covers this node's own area (config.nodeAdmdvs);
 *   users         — staff_user.admdvs in the area (for administrators).
 */
import { forbidden } from '../../platform/errors.js';
import { scopePrefix } from '../../platform/scope.js';

export interface Scope {
  /** Area-code prefixes covered ('9901'); empty = every area. */
  prefixes: string[];
  /** Institution users: the one institution they see; null for staff of the insurance agency. */
  fixmedins_code: string | null;
  /** True when the scope covers this node's own area: log rows without an area are visible too. */
  node_wide: boolean;
}

/** The CLI and the system act without area limits. */
export const ALL_SCOPE: Scope = { prefixes: [], fixmedins_code: null, node_wide: true };

export function prefixesOf(admdvs: string): string[] {
  return admdvs === '000000' ? [] : [scopePrefix(admdvs)];
}

export function scopeOf(user: { admdvs: string; fixmedins_code: string | null }, nodeAdmdvs: string): Scope {
  const prefixes = prefixesOf(user.admdvs);
  return {
    prefixes,
    fixmedins_code: user.fixmedins_code,
    node_wide: !user.fixmedins_code && (prefixes.length === 0 || prefixes.some((p) => nodeAdmdvs.startsWith(p))),
  };
}

export function coversAdmdvs(scope: Scope, admdvs: string | null | undefined): boolean {
  if (!scope.prefixes.length) return true;
  if (!admdvs) return false;
  return scope.prefixes.some((p) => admdvs.startsWith(p));
}

/** 403 unless the area is within the scope. */
export function requireAdmdvsInScope(scope: Scope, admdvs: string, what = '该数据'): void {
  if (!coversAdmdvs(scope, admdvs)) throw forbidden(`无权访问：${what}属于区划 ${admdvs}，不在您的管辖区划内`);
}

export function coversInstitution(scope: Scope, inst: { fixmedins_code: string; admdvs: string }): boolean {
  if (scope.fixmedins_code) return scope.fixmedins_code === inst.fixmedins_code;
  return coversAdmdvs(scope, inst.admdvs);
}

/** 403 when the institution is not the user's (institution users) or not in the user's areas. */
export function requireInstitutionInScope(scope: Scope, inst: { fixmedins_code: string; admdvs: string }): void {
  if (coversInstitution(scope, inst)) return;
  if (scope.fixmedins_code) throw forbidden(`无权访问：机构用户只能查看本机构（${scope.fixmedins_code}）的数据`);
  throw forbidden(`无权访问：定点医药机构 ${inst.fixmedins_code} 属于区划 ${inst.admdvs}，不在您的管辖区划内`);
}
