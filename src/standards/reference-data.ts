/**
 * Where the product's bundled reference data lives (`reference-data/` at the project root, shipped in the
 * repository with its licence and provenance). Nothing reads the developers' shared folder at run time.
 */
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The CHS-DRG 1.1 tables and the 医保版 ICD-10 / ICD-9-CM-3 2.0 dictionaries (Apache-2.0, from OpenDRG). */
export const REFERENCE_DATA_DIR = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'reference-data', 'chs-drg-1.1');
