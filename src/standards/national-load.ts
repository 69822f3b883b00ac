/**
 * First-start load of the national standards bundled with the product: the code tables (码表) and the
 * 医保版 ICD-10 / ICD-9-CM-3 2.0 dictionaries. Idempotent: each source's checksum is recorded in `std_load`;
 * a warm start finds it and does nothing. Does not load any region's data (the demo module does that).
 */
import { createHash } from 'node:crypto';
import type { Db } from '../platform/db.js';
import type { Logger } from '../platform/logging.js';
import { recordOperation, SYSTEM_ACTOR } from '../platform/oplog.js';
import { writingTo } from '../platform/cache.js';
import { DICT_TABLES } from './dict-data.js';
import { insertShippedDict } from './dict.js';
import { DIAGNOSES, PROCEDURES, insertBundled, readBundled } from './coded-list.js';

export interface NationalLoadResult {
  dict: number;
  diagnoses: number;
  procedures: number;
  skipped: boolean;
}

const digest = (value: unknown) => createHash('sha256').update(JSON.stringify(value)).digest('hex');

async function loadedChecksum(db: Db, source: string): Promise<string | undefined> {
  const r = await db.k.selectFrom('std_load').select('checksum').where('source', '=', source).executeTakeFirst();
  return r?.checksum.trim();
}


export async function loadNationalStandards(db: Db, log?: Logger): Promise<NationalLoadResult> {
  const result: NationalLoadResult = { dict: 0, diagnoses: 0, procedures: 0, skipped: true };
  const sources: { source: string; checksum: string; key: 'dict' | 'diagnoses' | 'procedures'; entries?: ReturnType<typeof readBundled> }[] = [];
  sources.push({ source: 'dict', checksum: digest(DICT_TABLES), key: 'dict' });
  const diag = readBundled(DIAGNOSES);
  sources.push({ source: 'icd10-yb2.0', checksum: digest(diag), key: 'diagnoses', entries: diag });
  const oprn = readBundled(PROCEDURES);
  sources.push({ source: 'icd9cm3-yb2.0', checksum: digest(oprn), key: 'procedures', entries: oprn });

  for (const s of sources) {
    const have = await loadedChecksum(db, s.source);
    if (have === s.checksum) continue;
    if (have !== undefined) {
      // A different bundled source than the one loaded: a product upgrade must bring a migration or an import.
      log?.warn({ source: s.source }, `已加载的 ${s.source} 与随附版本不同，保留已加载内容（请使用 yibao import 更新）`);
      continue;
    }
    result.skipped = false;
    const t0 = performance.now();
    await writingTo(['dict', 'coded_list'], () => db.k.transaction().execute(async (trx) => {
      let n: number;
      if (s.key === 'dict') n = await insertShippedDict(trx);
      else n = await insertBundled(trx, s.key === 'diagnoses' ? DIAGNOSES : PROCEDURES, s.entries!);
      result[s.key] = n;
      await trx.insertInto('std_load').values({ source: s.source, checksum: s.checksum, row_cnt: n }).execute();
      await recordOperation(trx, SYSTEM_ACTOR, { action: 'standards.load', target_type: s.source, after: { rows: n, checksum: s.checksum } });
    }));
    log?.info({ source: s.source, rows: result[s.key], ms: Math.round(performance.now() - t0) }, `已导入 ${s.source}`);
  }
  return result;
}
