/**
 * Writing the batch run's findings as suspects (疑点) in audit_suspect (migration 0013): one transaction per rule,
 * new rows only — the dedup_key (rule_id|the hit's facts) already present is skipped before the insert and the
 * unique index refuses a concurrent duplicate — so rerunning a window never duplicates a suspect. The suspect's
 * area is its institution's (it scopes the reviewers); amounts go out through platform/money.
 */
import { sql, type RawBuilder } from 'kysely';
import type { Db } from '../../platform/db.js';
import { formatDatedId, nextSerials } from '../../platform/ids.js';
import { fenToYuan, type Fen } from '../../platform/money.js';
import type { RuleDef } from '../rules/types.js';

/** One finding of a rule, whichever path (SQL or engine) found it. */
export interface SuspectHit {
  psn_no: string;
  /** The encounter the suspect is about. */
  mdtrt_id: string;
  mdtrt_ids: string[];
  /** The facts that make the hit unique within its rule. */
  dkey: string;
  /** Null: the rule's severity. */
  sev: string | null;
  cont: string;
  amt: Fen;
  fixmedins_code: string;
  admdvs: string;
  setl_id: string | null;
  facts: Record<string, unknown> | null;
  /** Fee lines involved (vola_item_type 1 违规项, 2 涉及项). */
  lines: Record<string, string>[];
}

const MAX_CONT = 500;

/** Inserts the hits not yet recorded; returns how many were inserted. */
export async function writeSuspects(db: Db, rule: RuleDef, run_id: string, hits: SuspectHit[], params: Record<string, unknown>): Promise<number> {
  if (!hits.length) return 0;
  const keyOf = (h: SuspectHit) => `${rule.rule_id}|${h.dkey}`;
  const known = new Set<string>();
  for (let i = 0; i < hits.length; i += 500) {
    const keys = hits.slice(i, i + 500).map(keyOf);
    const rows = await sql<{ dedup_key: string }>`select dedup_key from audit_suspect where dedup_key in (${sql.join(keys)})`.execute(db.k);
    for (const r of rows.rows) known.add(r.dedup_key);
  }
  const seen = new Set<string>();
  const fresh = hits.filter((h) => {
    const k = keyOf(h);
    if (known.has(k) || seen.has(k)) return false;
    seen.add(k);
    return true;
  });
  if (!fresh.length) return 0;
  const now = new Date();
  const serials = await nextSerials(db, 'general', fresh.length);
  const rows: RawBuilder<unknown>[] = [];
  for (const [i, h] of fresh.entries()) {
    const cont = h.cont.length > MAX_CONT ? `${h.cont.slice(0, MAX_CONT - 1)}…` : h.cont;
    const evidence = { facts: h.facts ?? {}, lines: h.lines, params, rule_ver: rule.rule_ver };
    rows.push(sql`(${formatDatedId(h.admdvs, now, serials[i]!)}, ${run_id}, '3', ${rule.rule_id}, ${rule.rule_ver}, ${rule.rule_name},
      ${h.sev ?? rule.sev_deg}, ${rule.vola_bhvr_type}, ${h.admdvs}, ${h.fixmedins_code}, ${h.psn_no}, ${h.mdtrt_id}, ${h.setl_id}, ${h.mdtrt_ids.join(',')},
      ${cont}, ${fenToYuan(h.amt)}::numeric, ${rule.vola_amt_formula === '0' ? '2' : '1'}, ${JSON.stringify(evidence)}::jsonb, ${keyOf(h)})`);
  }
  let inserted = 0;
  await db.k.transaction().execute(async (trx) => {
    for (let i = 0; i < rows.length; i += 200) {
      const res = await sql`insert into audit_suspect (suspect_id, run_id, stage, rule_id, rule_ver, rule_name, sev_deg, vola_bhvr_type, admdvs,
          fixmedins_code, psn_no, mdtrt_id, setl_id, mdtrt_ids, vola_cont, vola_amt, vola_amt_stas, evidence, dedup_key)
        values ${sql.join(rows.slice(i, i + 200))} on conflict (dedup_key) do nothing`.execute(trx);
      inserted += Number(res.numAffectedRows ?? 0);
    }
  });
  return inserted;
}
