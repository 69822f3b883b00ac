/**
 * Fastify's request log lines, without URLs: one line per request with method, route pattern (a URL may hold a
 * search term such as a name), status, time and the staff user. Query strings and bodies never reach the log.
 */
import { LogController, type FastifyReply, type FastifyRequest } from 'fastify';

export class RequestLogController extends LogController {
  override incomingRequest(): void {}

  override requestCompleted(error: Error | null | undefined, req: FastifyRequest, reply: FastifyReply): void {
    const line = { method: req.method, route: req.routeOptions.url ?? '(未匹配)', status: reply.statusCode, ms: Math.round(reply.elapsedTime), user: req.staff?.user.user_id };
    if (error) reply.log.error({ ...line, err: error }, 'request errored');
    else reply.log.info(line, 'request');
  }

  override routeNotFound(req: FastifyRequest): void {
    req.log.info({ method: req.method, path: req.url.split('?')[0] }, 'route not found');
  }
}
