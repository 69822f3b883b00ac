/** Escapes LIKE wildcards in a user's search term (PostgreSQL's default escape character is the backslash). */
export function escapeLike(s: string): string {
  return s.replace(/[\\%_]/g, (c) => `\\${c}`);
}
