/**
 * The HIS side of the national interface as the simulator speaks it: one keep-alive HTTP agent (a fixed pool of
 * sockets), envelopes filled the way hospital systems fill them (every public field present, msgid = institution
 * code + yyyyMMddHHmmss + 4-digit sequence), the institution's apikey in the header, and one sign-in (9001) per
 * operator before its first transaction. Each call reports its latency and outcome to a Recorder. Knows nothing
 * about flows.
 */
import http from 'node:http';
import { randomInt } from 'node:crypto';
import { beijingDateTime, compactTime } from '../platform/time.js';
import type { Recorder } from './recorder.js';
import type { SimInstitution } from './world.js';

export interface Answer<T = Record<string, unknown>> {
  infcode: number;
  err_msg: string | null;
  output: T;
}

/** A call that did not succeed: the err_msg (infcode -1) or the transport failure. */
export class CallFailed extends Error {
  constructor(
    readonly infno: string,
    message: string,
  ) {
    super(message);
  }
}

export class HisClient {
  private readonly agent: http.Agent;
  private readonly target: URL;
  private readonly seqs = new Map<string, { second: string; n: number }>();
  private readonly signIns = new Map<string, Promise<string>>();

  constructor(
    url: string,
    connections: number,
    private readonly recorder: Recorder,
  ) {
    const base = new URL(url);
    this.target = new URL('/fsi/api/rsfComIfsService/callService', base);
    this.agent = new http.Agent({ keepAlive: true, maxSockets: connections, maxFreeSockets: connections });
  }

  /** msgid as clients build it; the 4-digit sequence restarts at a random point each second per institution. */
  newMsgid(code: string, at = new Date()): string {
    const second = compactTime(at);
    let s = this.seqs.get(code);
    if (!s || s.second !== second) this.seqs.set(code, (s = { second, n: randomInt(10_000) }));
    s.n = (s.n + 1) % 10_000;
    return `${code}${second}${String(s.n).padStart(4, '0')}`;
  }

  /** The operator's sign_no of today (9001 on first use, shared by every flow of that operator). */
  signIn(inst: SimInstitution, opter: string): Promise<string> {
    const key = `${inst.fixmedins_code}|${opter}`;
    let p = this.signIns.get(key);
    if (!p) {
      p = this.call<{ signinoutb: { sign_no: string } }>(inst, opter, '', '9001', { signIn: { opter_no: opter, mac: '00-1A-2B-3C-4D-5E', ip: '10.1.2.3' } }).then((a) => a.output.signinoutb.sign_no);
      p.catch(() => this.signIns.delete(key));
      this.signIns.set(key, p);
    }
    return p;
  }

  /** Sends one transaction; resolves with the answer when infcode is 0, rejects with CallFailed otherwise. */
  async call<T = Record<string, unknown>>(inst: SimInstitution, opter: string, signNo: string, infno: string, input: unknown): Promise<Answer<T>> {
    const now = new Date();
    const body = JSON.stringify({
      infno,
      msgid: this.newMsgid(inst.fixmedins_code, now),
      mdtrtarea_admvs: inst.pool,
      insuplc_admdvs: inst.pool,
      recer_sys_code: 'MBS_LOCAL',
      dev_no: '',
      dev_safe_info: '',
      cainfo: '',
      signtype: '',
      infver: 'V1.0',
      opter_type: '1',
      opter,
      opter_name: `收费员${opter}`,
      inf_time: beijingDateTime(now),
      fixmedins_code: inst.fixmedins_code,
      fixmedins_name: inst.fixmedins_name,
      sign_no: signNo,
      input,
    });
    const t0 = performance.now();
    let text: string;
    try {
      text = await this.post(body, inst.apikey);
    } catch (e) {
      const message = `通讯失败：${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`;
      this.recorder.call(infno, performance.now() - t0, message);
      throw new CallFailed(infno, message);
    }
    const ms = performance.now() - t0;
    let answer: Answer<T>;
    try {
      answer = JSON.parse(text) as Answer<T>;
    } catch {
      this.recorder.call(infno, ms, '应答不是有效的JSON');
      throw new CallFailed(infno, '应答不是有效的JSON');
    }
    if (answer.infcode !== 0) {
      const message = answer.err_msg ?? '交易失败（无 err_msg）';
      this.recorder.call(infno, ms, message);
      throw new CallFailed(infno, message);
    }
    this.recorder.call(infno, ms, null);
    return answer;
  }

  private post(body: string, apikey: string): Promise<string> {
    return new Promise((resolve, reject) => {
      const req = http.request(
        this.target,
        { method: 'POST', agent: this.agent, headers: { 'content-type': 'application/json;charset=UTF-8', 'content-length': Buffer.byteLength(body), apikey } },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('end', () => (res.statusCode === 200 ? resolve(Buffer.concat(chunks).toString('utf8')) : reject(new Error(`HTTP ${res.statusCode}`))));
          res.on('error', reject);
        },
      );
      req.setTimeout(60_000, () => req.destroy(new Error('应答超时（60 秒）')));
      req.on('error', reject);
      req.end(body);
    });
  }

  close(): void {
    this.agent.destroy();
  }
}
