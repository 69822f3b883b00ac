/**
 * Gateway types: the tables of migration 0009 (declared into the shared Tables), the parsed request envelope,
 * the context a transaction handler receives, and the shape of one registry entry.
 */
import type { Static, TSchema } from '@sinclair/typebox';
import type { Generated } from 'kysely';
import type { Config } from '../platform/config.js';
import type { Db } from '../platform/db.js';
import type { Logger } from '../platform/logging.js';
import type { Actor } from '../platform/oplog.js';
import type { FixmedinsTable } from '../standards/institutions/institutions.js';

export interface GatewayCredentialTable {
  fixmedins_code: string;
  apikey_hash: string;
  apikey_hint: string;
  tif_paasid: string | null;
  tif_token: string | null;
  sm2_pubkey: string | null;
  signin_required: Generated<boolean>;
  msg_sign_required: Generated<boolean>;
  status: Generated<'active' | 'disabled'>;
  issued_at: Generated<Date>;
  updated_at: Generated<Date>;
}

export interface GatewaySigninTable {
  sign_no: string;
  fixmedins_code: string;
  opter_no: string;
  sign_date: string;
  sign_time: Generated<Date>;
  mac: string | null;
  ip: string | null;
  signout_time: Date | null;
}

export interface GatewayMsgTable {
  fixmedins_code: string;
  msgid: string;
  infno: string;
  request_hash: string;
  inf_refmsgid: string;
  status: 'processing' | 'done';
  response_body: string | null;
  created_at: Generated<Date>;
  completed_at: Date | null;
}

export interface GatewayLogTable {
  inf_refmsgid: string;
  received_at: Date;
  fixmedins_code: string | null;
  infno: string | null;
  msgid: string | null;
  opter: string | null;
  sign_no: string | null;
  auth_way: string | null;
  client_ip: string | null;
  infcode: number;
  err_msg: string | null;
  duration_ms: number;
  replay: boolean;
}

export interface EcTokenTable {
  ec_token: string;
  psn_no: string;
  insuplc_admdvs: string | null;
  issued_at: Generated<Date>;
  expires_at: Date;
}

export interface GatewayFileTable {
  file_qury_no: string;
  infno: string;
  filename: string;
  fixmedins_code: string;
  data_cnt: number;
  content: Uint8Array;
  content_sha256: string;
  dld_end_time: string;
  created_at: Generated<Date>;
}

declare module '../platform/db.js' {
  interface Tables {
    gateway_credential: GatewayCredentialTable;
    gateway_signin: GatewaySigninTable;
    gateway_msg: GatewayMsgTable;
    gateway_log: GatewayLogTable;
    ec_token: EcTokenTable;
    gateway_file: GatewayFileTable;
  }
}

/** The national request envelope (公共输入参数, reference §1.2) after tolerant parsing. Absent optional fields are undefined. */
export interface Envelope {
  infno: string;
  msgid: string;
  mdtrtarea_admvs?: string;
  insuplc_admdvs?: string;
  recer_sys_code?: string;
  dev_no?: string;
  dev_safe_info?: string;
  cainfo?: string;
  signtype?: string;
  infver?: string;
  opter_type?: string;
  opter?: string;
  opter_name?: string;
  inf_time?: string;
  fixmedins_code: string;
  fixmedins_name?: string;
  sign_no?: string;
  input: Record<string, unknown>;
}

/** A credential as the gateway uses it (the row without its hash). */
export interface Credential {
  fixmedins_code: string;
  tif_paasid: string | null;
  tif_token: string | null;
  sm2_pubkey: string | null;
  signin_required: boolean;
  msg_sign_required: boolean;
  status: 'active' | 'disabled';
}

/** What a transaction handler gets besides its input. */
export interface TxContext {
  db: Db;
  config: Config;
  log: Logger;
  envelope: Envelope;
  /** The institution calling, designated on `today`. */
  institution: FixmedinsTable;
  credential: Credential;
  /** The institution as an actor for the operation log. */
  actor: Actor;
  receivedAt: Date;
  /** Beijing date of the request. */
  today: string;
  /** Warnings a successful transaction reports in the envelope's warn_msg (e.g. settlement-list QC warnings). */
  warnings: string[];
}

/** A binary answer (9102 file download): sent as application/octet-stream instead of the JSON envelope. */
export interface FileAnswer {
  kind: 'file';
  filename: string;
  bytes: Uint8Array;
}

/** One transaction: its code, Chinese name, input and output schemas, whether it needs a sign_no, and its handler. */
export interface TxDef<I extends TSchema = TSchema, O extends TSchema = TSchema> {
  infno: string;
  name: string;
  input: I;
  output: O;
  needsSignIn: boolean;
  /** Binary answers are not stored for msgid replay (they are reads of a stored file anyway). */
  binary?: boolean;
  handler(input: Static<I>, ctx: TxContext): Promise<Static<O> | FileAnswer>;
}

/** Declares a transaction with its types tied to its schemas. */
export function defineTx<I extends TSchema, O extends TSchema>(def: TxDef<I, O>): TxDef<I, O> {
  return def;
}
