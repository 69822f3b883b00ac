/**
 * Typed errors. Every error a person may see carries a Chinese message; `code` is stable for programs.
 * The gateway maps any YibaoError to the national envelope (infcode -1, err_msg); REST maps it to HTTP.
 */
export type ErrorCode =
  | 'VALIDATION' // bad input: field, format, range, dictionary
  | 'NOT_FOUND'
  | 'CONFLICT' // duplicate key, overlapping effective dates, state does not allow the step
  | 'UNAUTHENTICATED'
  | 'FORBIDDEN'
  | 'MIGRATION' // schema out of step (edited migration, unknown version)
  | 'CONFIG'
  | 'INTERNAL';

const HTTP_STATUS: Record<ErrorCode, number> = {
  VALIDATION: 400,
  NOT_FOUND: 404,
  CONFLICT: 409,
  UNAUTHENTICATED: 401,
  FORBIDDEN: 403,
  MIGRATION: 500,
  CONFIG: 500,
  INTERNAL: 500,
};

/** One problem in a row of input: which row (1-based, as a person counts), which field, what is wrong. */
export interface FieldProblem {
  row?: number;
  field?: string;
  message: string;
}

export class YibaoError extends Error {
  readonly code: ErrorCode;
  readonly problems: FieldProblem[];
  constructor(code: ErrorCode, message: string, problems: FieldProblem[] = [], options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'YibaoError';
    this.code = code;
    this.problems = problems;
  }
  get httpStatus(): number {
    return HTTP_STATUS[this.code];
  }
}

export const validationError = (message: string, problems: FieldProblem[] = []): YibaoError =>
  new YibaoError('VALIDATION', message, problems);
export const notFound = (message: string): YibaoError => new YibaoError('NOT_FOUND', message);
export const conflict = (message: string, problems: FieldProblem[] = []): YibaoError =>
  new YibaoError('CONFLICT', message, problems);
export const forbidden = (message = '无权执行此操作'): YibaoError => new YibaoError('FORBIDDEN', message);
export const unauthenticated = (message = '未登录或登录已失效'): YibaoError => new YibaoError('UNAUTHENTICATED', message);

/** Formats a problem list the way import reports and err_msg show it: "第3行 字段certno：校验位错误". */
export function describeProblem(p: FieldProblem): string {
  const where = [p.row !== undefined ? `第${p.row}行` : '', p.field ? `字段${p.field}` : ''].filter(Boolean).join(' ');
  return where ? `${where}：${p.message}` : p.message;
}

export function isYibaoError(e: unknown): e is YibaoError {
  return e instanceof YibaoError;
}
