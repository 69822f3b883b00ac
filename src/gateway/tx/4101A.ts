/**
 * 4101A 医疗保障基金结算清单信息上传（新版）: the same list as 4101 in the later spec version (with bldinfo[] and the
 * procedure/anaesthesia times); same quality control, same storage — the version records which transaction made it.
 */
import { setlListUploadTx } from './4101.js';

export const tx4101A = setlListUploadTx('4101A', '医疗保障基金结算清单信息上传（新版）');
