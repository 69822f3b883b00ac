/**
 * Area scoping (数据权限): staff act within areas. A scope of 990000 (a province) covers every code starting
 * with 99, 990100 (a prefecture / pooling area) covers 9901xx, a district covers itself. An actor with no
 * areas (administrator, system) covers everything. Services check writes here; list queries use the prefix.
 */
import { forbidden } from './errors.js';
import type { Actor } from './oplog.js';

/** The prefix that "area X covers area Y" uses: 990000 → '99', 990100 → '9901', 990102 → '990102'. */
export function scopePrefix(admdvs: string): string {
  return admdvs.replace(/(00)+$/, '') || admdvs;
}

/** True when one of `scopes` covers `admdvs` (an empty scope list covers everything). */
export function scopesCover(scopes: readonly string[], admdvs: string): boolean {
  return scopes.length === 0 || scopes.some((s) => admdvs.startsWith(scopePrefix(s)));
}

export function actorCovers(actor: Actor, admdvs: string): boolean {
  return scopesCover(actor.admdvs, admdvs);
}

export function requireActorCovers(actor: Actor, admdvs: string): void {
  if (!actorCovers(actor, admdvs)) throw forbidden(`无权办理区划 ${admdvs} 的业务（本账号管辖：${actor.admdvs.join('、')}）`);
}
