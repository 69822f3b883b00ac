/** Institution history for the console: the agreement rows of an institution and its latest version. */
import type { Db } from '../../platform/db.js';

export async function agreementHistory(db: Db, fixmedins_code: string) {
  return db.k.selectFrom('fixmedins_agreement').selectAll().where('fixmedins_code', '=', fixmedins_code).orderBy('begndate').execute();
}

/** The most recent version of an institution, whatever its dates (to place a practitioner in an area). */
export async function latestInstitution(db: Db, fixmedins_code: string) {
  return db.k.selectFrom('fixmedins').selectAll().where('fixmedins_code', '=', fixmedins_code).orderBy('begndate', 'desc').limit(1).executeTakeFirst();
}
