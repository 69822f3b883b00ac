/**
 * Writing the batch run's findings as suspects (疑点) in audit_suspect (migration 0013), new rows only — a dedup_key
 * (rule_id|the hit's facts) already present is skipped and the unique index refuses a concurrent duplicate — so
 * rerunning a window never duplicates a suspect. The suspect's area is its institution's (it scopes the reviewers);
 * amounts go out through platform/money.
 *
 * Speed: rows go in blocks of BLOCK as one statement each — the block is one JSON parameter unpacked by
 * json_to_recordset, the same on PGlite and PostgreSQL — and the duplicate check, the ids (area + date + a
 * seq_general serial, exactly formatDatedId's form) and the insert are done by the database in that statement.
 * Evidence arrives as ready JSON text (the SQL path builds it in DuckDB), so a row costs the JavaScript side one
 * string concatenation, not a parse and re-serialisation of its lines.
 */
import { sql } from 'kysely';
import type { Db } from '../../platform/db.js';
import { formatDatedId } from '../../platform/ids.js';
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

/** A suspect ready to write: evidence already JSON text ({facts, lines, params, rule_ver}). */
export interface SuspectRow {
  /** '' when the suspect is about an institution, department or doctor rather than one person. */
  psn_no: string;
  mdtrt_id: string | null;
  /** Comma-separated. */
  mdtrt_ids: string;
  dkey: string;
  sev: string | null;
  cont: string;
  amt: Fen;
  fixmedins_code: string;
  admdvs: string;
  setl_id: string | null;
  evidence: string;
}

const MAX_CONT = 500;
/** Rows per insert statement. */
export const BLOCK = 5_000;

/** Evidence JSON text from its parts, each already JSON. */
export const evidenceJson = (facts: string, lines: string, params: string, rule_ver: number): string =>
  `{"facts":${facts},"lines":${lines},"params":${params},"rule_ver":${rule_ver}}`;

export function rowOfHit(rule: RuleDef, h: SuspectHit, params: Record<string, unknown>): SuspectRow {
  return {
    psn_no: h.psn_no,
    mdtrt_id: h.mdtrt_id,
    mdtrt_ids: h.mdtrt_ids.join(','),
    dkey: h.dkey,
    sev: h.sev,
    cont: h.cont,
    amt: h.amt,
    fixmedins_code: h.fixmedins_code,
    admdvs: h.admdvs,
    setl_id: h.setl_id,
    evidence: evidenceJson(JSON.stringify(h.facts ?? {}), JSON.stringify(h.lines), JSON.stringify(params), rule.rule_ver),
  };
}

/** One block as the JSON array json_to_recordset reads; evidence spliced in as a JSON value, not re-encoded. */
function blockJson(rule: RuleDef, rows: readonly SuspectRow[]): string {
  const parts: string[] = [];
  for (const r of rows) {
    const cont = r.cont.length > MAX_CONT ? `${r.cont.slice(0, MAX_CONT - 1)}…` : r.cont;
    const head = JSON.stringify({
      psn_no: r.psn_no,
      mdtrt_id: r.mdtrt_id,
      mdtrt_ids: r.mdtrt_ids,
      sev: r.sev,
      cont,
      amt: fenToYuan(r.amt),
      fixmedins_code: r.fixmedins_code,
      admdvs: r.admdvs,
      setl_id: r.setl_id,
      dedup_key: `${rule.rule_id}|${r.dkey}`,
    });
    parts.push(`${head.slice(0, -1)},"evidence":${r.evidence}}`);
  }
  return `[${parts.join(',')}]`;
}

/**
 * A writer for one rule's suspects: each call writes its rows in statements of BLOCK rows. Each statement is atomic
 * on its own, and there is no transaction around a rule's blocks, so the job's progress (another statement, on
 * PGlite the same single connection) can be written between them; a rule that fails midway keeps the blocks written
 * so far, and rerunning the window completes it without duplicating any.
 */
export function suspectWriter(db: Db, rule: RuleDef, run_id: string): (rows: readonly SuspectRow[]) => Promise<number> {
  // the date part of the ids, as formatDatedId writes it (Beijing date)
  const ymd = formatDatedId('000000', new Date(), 0).slice(6, 14);
  const stas = rule.vola_amt_formula === '0' ? '2' : '1';
  return async (rows) => {
    let inserted = 0;
    for (let i = 0; i < rows.length; i += BLOCK) {
      const block = blockJson(rule, rows.slice(i, i + BLOCK));
      const res = await sql`
        insert into audit_suspect (suspect_id, run_id, stage, rule_id, rule_ver, rule_name, sev_deg, vola_bhvr_type, admdvs, fixmedins_code, psn_no,
                                   mdtrt_id, setl_id, mdtrt_ids, vola_cont, vola_amt, vola_amt_stas, evidence, dedup_key)
        select x.admdvs || ${ymd} || '9' || lpad((nextval('seq_general') % 100000000000)::text, 11, '0'), ${run_id}, '3', ${rule.rule_id}, ${rule.rule_ver},
               ${rule.rule_name}, coalesce(x.sev, ${rule.sev_deg}), ${rule.vola_bhvr_type}, x.admdvs, x.fixmedins_code, x.psn_no, x.mdtrt_id, x.setl_id,
               x.mdtrt_ids, x.cont, x.amt, ${stas}, x.evidence, x.dedup_key
          from (select distinct on (r.dedup_key) r.*
                  from json_to_recordset(${block}::json) as r(psn_no text, mdtrt_id text, mdtrt_ids text, sev text, cont text, amt numeric(16,2),
                       fixmedins_code text, admdvs text, setl_id text, dedup_key text, evidence jsonb)
                 order by r.dedup_key) x
         where not exists (select 1 from audit_suspect s where s.dedup_key = x.dedup_key)
        on conflict (dedup_key) do nothing`.execute(db.k);
      inserted += Number(res.numAffectedRows ?? 0);
    }
    return inserted;
  };
}

/** Inserts the rows not yet recorded; returns how many were inserted. */
export async function writeSuspectRows(db: Db, rule: RuleDef, run_id: string, rows: readonly SuspectRow[]): Promise<number> {
  return rows.length ? suspectWriter(db, rule, run_id)(rows) : 0;
}

/** Inserts the hits not yet recorded; returns how many were inserted. */
export async function writeSuspects(db: Db, rule: RuleDef, run_id: string, hits: SuspectHit[], params: Record<string, unknown>): Promise<number> {
  return writeSuspectRows(
    db,
    rule,
    run_id,
    hits.map((h) => rowOfHit(rule, h, params)),
  );
}
