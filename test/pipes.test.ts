/**
 * lmm in pipes: `-` is standard input for a trace or a log and standard output for an
 * output; FIFOs, process substitutions and /dev/stdout are written in place; a regular file
 * is replaced atomically keeping its mode, and a read-only one is refused. When an output
 * takes standard output, the summary goes to stderr. Standard output here is always the
 * child's own pipe or socket, never the test runner's.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { chmodSync, lstatSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { LMM_BIN, lmmStart, lmmSync, REPO_ROOT } from '@lmm/testkit';

const tmp = mkdtempSync(join(tmpdir(), 'lmm-pipes-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

/** A bundled scenario without its option line (tested in scenariosAsWritten), so stderr holds only what these tests look at. */
const TRACE = join(tmp, 'testapp.jsonl');
writeFileSync(TRACE, readFileSync(join(REPO_ROOT, 'scenarios', 'testapp.jsonl'), 'utf8').replace(/^# lmm:.*\n/gm, ''));
/** The fact log of TRACE as `--facts FILE` writes it. */
const LOG = join(tmp, 'testapp.facts.jsonl');
const logText = () => readFileSync(LOG, 'utf8');

/** Runs a shell command line in `tmp` with `$LMM` the lmm command; returns its status and output. */
function sh(script: string): { status: number | null; stdout: string; stderr: string } {
  const env: NodeJS.ProcessEnv = { ...process.env, LMM: `${process.execPath} ${LMM_BIN}`, TRACE };
  delete env.INIT_CWD;
  const r = spawnSync('bash', ['-c', script], { cwd: tmp, env, encoding: 'utf8' });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

/**
 * Resolves once lmm (process `pid`) has set its signal handlers. Node itself catches SIGINT
 * from the start (to restore the terminal, then dies of it), so the sign is SIGHUP, which
 * lmm catches together with SIGINT and SIGTERM: bit 0 of SigCgt in /proc/PID/status.
 */
async function catchesSigint(pid: number): Promise<void> {
  for (let i = 0; i < 1200; i++) {
    const m = /^SigCgt:\s*([0-9a-f]+)$/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    if (m !== null && (BigInt(`0x${m[1]!}`) & 1n) !== 0n) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`process ${pid} never set a SIGINT handler`);
}

describe('lmm with - and special files', () => {
  it('--facts FILE writes the log the other tests compare against', () => {
    const r = lmmSync(['run', TRACE, '--facts', LOG]);
    expect(r.status).toBe(0);
    expect(logText().split('\n')[0]).toMatch(/^\{"format":"lmm-log"/);
  });

  it('--facts - puts only the log on stdout; the summary goes to stderr', () => {
    const r = lmmSync(['run', TRACE, '--facts', '-']);
    expect(r.status).toBe(0);
    expect(r.stdout).toBe(logText());
    expect(r.stderr).toMatch(/^lmm run .*testapp\.jsonl: 12 commands/);
  });

  it('lmm run - --facts - | lmm show - --at 10: a trace from a pipe, its log into another lmm', () => {
    const piped = sh('$LMM run - --facts - < "$TRACE" 2>/dev/null | $LMM show - --at 10 --json');
    expect(piped.stderr).toBe('');
    expect(piped.status).toBe(0);
    const direct = lmmSync(['show', LOG, '--at', '10', '--json']);
    expect(piped.stdout).toBe(direct.stdout);
  });

  it('- reads standard input when it is a socket too (a child of Node), with -:LINE in messages', () => {
    const ok = lmmSync(['stats', '-', '--json'], { input: logText() });
    expect(ok.status).toBe(0);
    expect(ok.stdout).toBe(lmmSync(['stats', LOG, '--json']).stdout);
    const bad = lmmSync(['run', '-'], { input: '{"op":"register","family":"f","size":8}\n{"op":\n' });
    expect(bad.status).toBe(2);
    expect(bad.stderr).toMatch(/^lmm: -:2: /);
  });

  it('--facts /dev/stdout writes through standard output, whether a socket or a pipe', () => {
    const socket = lmmSync(['run', TRACE, '--facts', '/dev/stdout']);
    expect(socket.status).toBe(0);
    expect(socket.stdout).toBe(logText());
    const pipe = sh('$LMM run "$TRACE" --facts /dev/stdout 2>/dev/null | cat > out.jsonl && test -f out.jsonl');
    expect(pipe.status).toBe(0);
    expect(readFileSync(join(tmp, 'out.jsonl'), 'utf8')).toBe(logText());
  });

  it('--facts >(gzip > f.gz): a process substitution is written in place', () => {
    const r = sh('$LMM run "$TRACE" --facts >(gzip > sub.jsonl.gz) > /dev/null; wait $!');
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    expect(execFileSync('gzip', ['-dc', join(tmp, 'sub.jsonl.gz')], { encoding: 'utf8' })).toBe(logText());
  });

  it('--facts FIFO: the reader gets the log, the FIFO stays', () => {
    execFileSync('mkfifo', [join(tmp, 'facts.fifo')]);
    const r = sh('cat facts.fifo > from-fifo.jsonl & $LMM run "$TRACE" --facts facts.fifo > /dev/null; wait');
    expect(r.status).toBe(0);
    expect(readFileSync(join(tmp, 'from-fifo.jsonl'), 'utf8')).toBe(logText());
    expect(lstatSync(join(tmp, 'facts.fifo')).isFIFO()).toBe(true);
  });

  it('SIGINT while waiting for a FIFO reader: exits 130 at once, removes nothing, the FIFO stays', async () => {
    execFileSync('mkfifo', [join(tmp, 'nobody.fifo')]);
    const run = lmmStart(['run', TRACE, '--facts', 'nobody.fifo'], { cwd: tmp });
    // Once lmm handles SIGINT (its start-up can take seconds on a loaded machine), it is soon waiting for the reader.
    await catchesSigint(run.pid);
    await new Promise((r) => setTimeout(r, 300));
    run.kill('SIGINT');
    const r = await run.done;
    expect(r.code).toBe(130);
    expect(r.stderr).toBe('lmm: interrupted (SIGINT)\n');
    expect(lstatSync(join(tmp, 'nobody.fifo')).isFIFO()).toBe(true);
  });

  it('a read-only output file is refused (exit 2, one line) and stays as it was; a writable one keeps its mode', () => {
    const ro = join(tmp, 'ro.jsonl');
    writeFileSync(ro, 'keep\n');
    chmodSync(ro, 0o444);
    const r = lmmSync(['run', TRACE, '--facts', 'ro.jsonl'], { cwd: tmp });
    expect(r.status).toBe(2);
    expect(r.stderr).toBe('lmm: ro.jsonl: is read-only (mode 0444); lmm does not replace it (make it writable or remove it first)\n');
    expect(readFileSync(ro, 'utf8')).toBe('keep\n');
    expect(statSync(ro).mode & 0o777).toBe(0o444);
    const rw = join(tmp, 'rw.jsonl');
    writeFileSync(rw, 'old\n');
    chmodSync(rw, 0o640);
    expect(lmmSync(['run', TRACE, '--facts', 'rw.jsonl'], { cwd: tmp }).status).toBe(0);
    expect(statSync(rw).mode & 0o777).toBe(0o640);
    expect(readFileSync(rw, 'utf8')).toBe(logText());
    expect(readdirSync(tmp).filter((f) => f.endsWith('.tmp'))).toEqual([]);
  });

  it('--facts "" and standard output named twice are usage errors', () => {
    const empty = lmmSync(['run', TRACE, '--facts', '']);
    expect(empty.status).toBe(2);
    expect(empty.stderr).toMatch(/^lmm: .*empty.*\n$/);
    const twice = lmmSync(['run', TRACE, '--facts', '-', '--state', '-']);
    expect(twice.status).toBe(2);
    expect(twice.stdout).toBe('');
  });

  it('a closed standard output (| head) is not a failure', () => {
    const r = sh('$LMM run "$TRACE" --facts - 2>/dev/null | head -1; echo "status ${PIPESTATUS[0]}"');
    expect(r.stdout).toMatch(/^\{"format":"lmm-log".*\nstatus 0\n$/);
  });
});
