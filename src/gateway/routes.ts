/**
 * The national designated-institution interface over HTTP: POST on any path under /fsi/api/ (clients are configured
 * with one URL; the transaction is the body's `infno`). The body is read as text whatever its Content-Type (clients
 * send application/json, text/plain or none), so that unreadable JSON and oversized bodies are answered with the
 * national envelope (HTTP 200, infcode -1) like every other refusal. 9102 answers with the ZIP itself.
 */
import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import type { AppDeps } from '../server/app.js';
import { createGateway, type GatewayOptions } from './dispatch.js';
import { FILE_UPLOAD_MAX_CHARS } from './envelope.js';

/** Largest request body read: a 9101 file upload's input (FILE_UPLOAD_MAX_CHARS, ASCII) and its envelope. */
export const BODY_LIMIT_BYTES = FILE_UPLOAD_MAX_CHARS + 1024 * 1024;

export function gatewayRoutes(deps: AppDeps, opts: GatewayOptions = {}): FastifyPluginAsync {
  return async (app) => {
    const gateway = createGateway(deps, opts);
    // encapsulated: only this plugin's routes read bodies as text
    app.removeAllContentTypeParsers();
    app.addContentTypeParser('*', { parseAs: 'string', bodyLimit: BODY_LIMIT_BYTES }, (_req, body, done) => done(null, body));

    const sendJson = (reply: FastifyReply, text: string) => reply.status(200).header('content-type', 'application/json; charset=utf-8').send(text);

    app.setErrorHandler(async (err, req, reply) => {
      const e = err as { code?: string; statusCode?: number; message: string };
      const message =
        e.code === 'FST_ERR_CTP_BODY_TOO_LARGE' ? `请求报文过大（超过 ${BODY_LIMIT_BYTES} 字节）` : e.statusCode && e.statusCode < 500 ? `请求报文无法读取：${e.message}` : '系统内部错误';
      if (message === '系统内部错误') deps.log.error({ err }, '接口请求异常');
      return sendJson(reply, await gateway.refuse(message, { headers: req.headers, ip: req.ip }));
    });

    const handler = async (req: FastifyRequest, reply: FastifyReply) => {
      const answer = await gateway.handle({ body: typeof req.body === 'string' ? req.body : undefined, headers: req.headers, ip: req.ip });
      if (answer.kind === 'file') {
        return reply
          .status(200)
          .header('content-type', 'application/octet-stream')
          .header('content-disposition', `attachment; filename="${answer.filename.replace(/[^\w.-]/g, '_')}"`)
          .send(Buffer.from(answer.bytes.buffer, answer.bytes.byteOffset, answer.bytes.byteLength));
      }
      return sendJson(reply, answer.body);
    };
    app.post('/fsi/api', handler);
    app.post('/fsi/api/*', handler);
  };
}
