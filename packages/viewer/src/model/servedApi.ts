/**
 * What a served page (`lmm view LOG --serve`) asks its server, and what it gets: one module
 * for both sides. GET only; no path or file name ever comes from the page, only a run's
 * number and command numbers.
 *
 * - `/` — the page (the same script as a self-contained page; its metadata says `served`).
 * - `/state?run=R&cmd=C` — run R's state after command C (0 … its commands) with the facts
 *   of C: `encodeOpeningState` bytes (`application/octet-stream`).
 * - `/event?run=R&cmd=C&kind=K&dir=D` — the nearest command after (D = 1) or before (D = −1)
 *   C with a fact of kind K (`EventKind`): an `EventAnswer` as JSON.
 */

/** The paths a served page asks. */
export const SERVED_PATHS = { page: '/', state: '/state', event: '/event' } as const;

/** The events the page can jump between: any of the three, or one fact type. */
export const EVENT_KINDS = ['any', 'PageRequest', 'PageRelease', 'Rejected'] as const;
/** An event kind. */
export type EventKind = (typeof EVENT_KINDS)[number];

/** Is `s` an event kind? */
export function isEventKind(s: string): s is EventKind {
  return (EVENT_KINDS as readonly string[]).includes(s);
}

/**
 * Where the nearest event is: `cmd`, or null when none was found between the command asked
 * from and `searched` (the last command looked at: the log's end or start when the search
 * went all the way, else where its time ran out).
 */
export interface EventAnswer {
  readonly cmd: number | null;
  readonly searched: number;
}

/** The URL path and query of run `run`'s state after `cmd`. */
export function stateUrl(run: number, cmd: number): string {
  return `${SERVED_PATHS.state}?run=${run}&cmd=${cmd}`;
}

/** The URL path and query of the nearest `kind` event of run `run` after (1) or before (−1) `cmd`. */
export function eventUrl(run: number, cmd: number, kind: EventKind, dir: 1 | -1): string {
  return `${SERVED_PATHS.event}?run=${run}&cmd=${cmd}&kind=${kind}&dir=${dir}`;
}
