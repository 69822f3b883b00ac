/**
 * SQL text helpers without a database driver: modules that only write DuckDB SQL (the batch rules' definitions and
 * their parameter schemas) import these, so reading a rule's schema — e.g. when a rule is saved — never loads DuckDB.
 */

/** A SQL string literal (single quotes doubled). */
export const lit = (s: string): string => `'${s.replaceAll("'", "''")}'`;
