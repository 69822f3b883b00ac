/** 1307 疾病与诊断目录下载 (reference §3.15): 医保版 ICD-10 diagnoses, every version. See downloads.ts for the file and its columns. */
import { diagnosisSource, downloadTx } from './downloads.js';

export const tx1307 = downloadTx(diagnosisSource());
