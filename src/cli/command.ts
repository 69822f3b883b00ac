/**
 * What a `yibao` sub-command is: a name, one line of help, a usage text, and a run function that returns
 * the process exit code. Commands print for people (Chinese) on stdout/stderr; they never call process.exit.
 */
export interface CliIo {
  out: (line: string) => void;
  err: (line: string) => void;
}

export interface Command {
  name: string;
  summary: string;
  usage: string;
  run(args: string[], io: CliIo): Promise<number>;
}

export function wantsHelp(args: string[]): boolean {
  return args.includes('--help') || args.includes('-h');
}
