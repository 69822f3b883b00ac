/**
 * The table of importable kinds for `yibao import <kind> <file>`: each points at its domain's importer.
 * Formats are documented in docs/import-formats.md.
 */
import type { Db } from './platform/db.js';
import type { Actor } from './platform/oplog.js';
import type { ImportReport } from './standards/import-report.js';
import { importAreasFile } from './standards/admdvs-import.js';
import { DIAGNOSES, PROCEDURES, importCodedFile } from './standards/coded-list.js';
import { CATALOGUE_KINDS, importCatalogueFile } from './standards/catalogue/load.js';
import { importInstitutionsFile } from './standards/institutions/institutions.js';
import { importPractitionersFile } from './standards/practitioners/practitioners.js';
import { importPersonsFile } from './enrollment/persons.js';

export interface Importer {
  label: string;
  run(db: Db, filePath: string, actor: Actor): Promise<ImportReport>;
}

export const IMPORTERS: Record<string, Importer> = {
  admdvs: { label: '医保区划', run: importAreasFile },
  diagnoses: { label: '疾病诊断（医保版 ICD-10）', run: (db, f, a) => importCodedFile(db, DIAGNOSES, f, a) },
  procedures: { label: '手术操作（医保版 ICD-9-CM-3）', run: (db, f, a) => importCodedFile(db, PROCEDURES, f, a) },
  institutions: { label: '定点医药机构', run: importInstitutionsFile },
  practitioners: { label: '医保医师、药师、护士', run: importPractitionersFile },
  persons: { label: '参保人员（参保登记）', run: importPersonsFile },
  ...Object.fromEntries(
    Object.entries(CATALOGUE_KINDS).map(([kind, label]) => [kind, { label, run: (db: Db, f: string, a: Actor) => importCatalogueFile(db, kind, f, a) }]),
  ),
};
