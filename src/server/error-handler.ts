/**
 * How errors leave the HTTP server: always `{ code, message, problems }` with a Chinese message. YibaoError maps
 * to its own status; schema validation failures (ajv) are translated into Chinese per field; Fastify's own
 * request errors (bad JSON, body too large …) get Chinese texts; anything else is a logged 500.
 */
import type { FastifyInstance, FastifySchemaValidationError } from 'fastify';
import { isYibaoError, type FieldProblem } from '../platform/errors.js';
import type { Logger } from '../platform/logging.js';

const CONTEXT: Record<string, string> = { body: '请求体', querystring: '查询参数', params: '路径参数', headers: '请求头' };
const TYPES: Record<string, string> = { string: '字符串', integer: '整数', number: '数字', boolean: '布尔值（true/false）', object: '对象', array: '数组', null: '空值' };
const FORMATS: Record<string, string> = { date: '日期（yyyy-MM-dd）', 'date-time': '日期时间' };

function describe(e: FastifySchemaValidationError): string {
  const p = e.params as Record<string, unknown>;
  switch (e.keyword) {
    case 'required':
      return '为必填项';
    case 'type':
      return `应为${String(p.type).split(',').map((t) => TYPES[t] ?? t).join('或')}`;
    case 'minLength':
      return p.limit === 1 ? '不能为空' : `长度不能少于 ${String(p.limit)} 个字符`;
    case 'maxLength':
      return `长度不能超过 ${String(p.limit)} 个字符`;
    case 'minimum':
      return `不能小于 ${String(p.limit)}`;
    case 'maximum':
      return `不能大于 ${String(p.limit)}`;
    case 'exclusiveMinimum':
      return `应大于 ${String(p.limit)}`;
    case 'exclusiveMaximum':
      return `应小于 ${String(p.limit)}`;
    case 'pattern':
      return '格式不正确';
    case 'format':
      return `应为有效的${FORMATS[String(p.format)] ?? String(p.format)}`;
    case 'enum':
      return `取值无效，应为 ${(p.allowedValues as unknown[]).map(String).join('、')} 之一`;
    case 'const':
      return `应为 ${String(p.allowedValue)}`;
    case 'additionalProperties':
      return '是不允许的字段';
    case 'minProperties':
      return '至少需要提供一个字段';
    case 'maxItems':
      return `最多 ${String(p.limit)} 项`;
    case 'minItems':
      return `至少 ${String(p.limit)} 项`;
    default:
      return '取值不符合要求';
  }
}

/**
 * A failed anyOf (e.g. "a code or null") reports every branch; keep the branch that says something useful about
 * the value (its pattern, length …) and drop the "must be null" branch and the anyOf summary itself.
 */
function simplify(errors: FastifySchemaValidationError[]): FastifySchemaValidationError[] {
  const unions = errors.filter((e) => e.keyword === 'anyOf' || e.keyword === 'oneOf');
  if (!unions.length) return errors;
  const branch = (e: FastifySchemaValidationError) => unions.some((u) => u !== e && e.schemaPath.startsWith(`${u.schemaPath}/`));
  const useful = errors.filter((e) => branch(e) && !(e.keyword === 'type' && (e.params as { type?: string }).type === 'null'));
  const rest = errors.filter((e) => !branch(e) && !unions.includes(e));
  return [...rest, ...(useful.length ? useful : unions)].filter((e, i, all) => all.findIndex((x) => x.instancePath === e.instancePath && x.keyword === e.keyword) === i);
}

/** Turns ajv errors into field problems and one Chinese message ("请求参数错误：请求体 username 为必填项"). */
export function translateValidation(errors: FastifySchemaValidationError[], context?: string): { message: string; problems: FieldProblem[] } {
  const problems = simplify(errors).map((e) => {
    const p = e.params as Record<string, unknown>;
    const path = e.instancePath.replace(/^\//, '').replace(/\//g, '.');
    const extra = (p.missingProperty ?? p.additionalProperty) as string | undefined;
    const field = [path, extra].filter(Boolean).join('.');
    return { field: field || undefined, message: describe(e) };
  });
  const where = context ? (CONTEXT[context] ?? context) : '';
  const text = problems.map((p) => [where, p.field, p.message].filter(Boolean).join(' ')).join('；');
  return { message: `请求参数错误：${text}`, problems: problems.map((p) => (p.field ? p : { message: p.message })) };
}

const FASTIFY_MESSAGES: Record<string, string> = {
  FST_ERR_CTP_INVALID_JSON_BODY: '请求体不是有效的 JSON',
  FST_ERR_CTP_EMPTY_JSON_BODY: '请求体为空，但 Content-Type 为 application/json',
  FST_ERR_CTP_INVALID_MEDIA_TYPE: '不支持的请求内容类型，请使用 application/json',
  FST_ERR_CTP_BODY_TOO_LARGE: '请求体过大',
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: '请求体长度与 Content-Length 不符',
};

export function installErrorHandling(app: FastifyInstance, log: Logger): void {
  app.setErrorHandler((err, _req, reply) => {
    if (isYibaoError(err)) return reply.status(err.httpStatus).send({ code: err.code, message: err.message, problems: err.problems });
    const e = err as { statusCode?: number; code?: string; validation?: FastifySchemaValidationError[]; validationContext?: string; message: string };
    if (e.validation) {
      const { message, problems } = translateValidation(e.validation, e.validationContext);
      return reply.status(400).send({ code: 'VALIDATION', message, problems });
    }
    if (e.statusCode && e.statusCode < 500) {
      const message = (e.code && FASTIFY_MESSAGES[e.code]) ?? (e instanceof SyntaxError ? '请求体不是有效的 JSON' : `请求错误：${e.message}`);
      return reply.status(e.statusCode).send({ code: 'VALIDATION', message, problems: [] });
    }
    log.error({ err }, 'unhandled error');
    return reply.status(500).send({ code: 'INTERNAL', message: '服务器内部错误', problems: [] });
  });
  app.setNotFoundHandler((req, reply) => reply.status(404).send({ code: 'NOT_FOUND', message: `接口不存在：${req.method} ${req.url.split('?')[0]}`, problems: [] }));
}
