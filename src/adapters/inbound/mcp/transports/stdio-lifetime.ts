/** Why a stdio session is over, and the exit code it calls for. */
export interface ClientGone {
  readonly reason: string;
  /** 0 for a clean close (stdin ended), 1 when an output stream failed (the client vanished without closing). */
  readonly exitCode: 0 | 1;
}

export interface StdioStreams {
  readonly stdin: NodeJS.ReadableStream;
  readonly stdout: NodeJS.WritableStream;
  readonly stderr: NodeJS.WritableStream;
}

const describe = (error: unknown): string => (error as { code?: string }).code ?? (error as Error).message ?? String(error);

/**
 * Calls `onGone` once, when the client at the other end of stdio is gone: stdin ended or closed (Claude Desktop quit,
 * its parent was killed), or a write to stdout or stderr failed or found the stream closed (EPIPE: nobody reads any
 * more). A server that outlives its client holds the SSH connection and, if it kept logging to a dead stderr, spins.
 * The listeners also mean that a failed write to these streams is never an uncaught exception.
 */
export function watchClient(streams: StdioStreams, onGone: (gone: ClientGone) => void): void {
  let called = false;
  const gone = (reason: string, exitCode: 0 | 1) => (): void => {
    if (called) return;
    called = true;
    onGone({ reason, exitCode });
  };
  streams.stdin.once('end', gone('stdin closed', 0));
  streams.stdin.once('close', gone('stdin closed', 0));
  streams.stdin.on('error', (error) => gone(`stdin failed (${describe(error)})`, 1)());
  for (const [name, stream] of [['stdout', streams.stdout], ['stderr', streams.stderr]] as const) {
    stream.on('error', (error) => gone(`${name} failed (${describe(error)})`, 1)());
    stream.once('close', gone(`${name} closed`, 1));
  }
}
