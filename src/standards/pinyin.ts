/**
 * Pinyin initials (拼音首字母) for search: staff type "AMXL" to find 阿莫西林. Computed once when a row is
 * written and stored beside the name, so search is an indexed prefix/substring match, not a conversion.
 */
import { pinyin } from 'pinyin-pro';

/** '阿莫西林胶囊(0.25g)' → 'AMXLJN0.25G'; Latin letters and digits are kept, other symbols dropped. */
export function pinyinInitials(text: string): string {
  const parts = pinyin(text, { pattern: 'first', toneType: 'none', type: 'array', nonZh: 'consecutive' });
  return parts
    .join('')
    .toUpperCase()
    .replace(/[^0-9A-Z.]/g, '');
}
