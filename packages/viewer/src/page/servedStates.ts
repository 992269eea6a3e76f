import { decodeOpeningState, type OpeningState } from '../model/openingState.js';
import type { PageMeta } from '../model/pageMeta.js';
import { eventUrl, stateUrl, type EventAnswer, type EventKind } from '../model/servedApi.js';

/** What a served page asks its server (`servedApi.ts`): states on a seek, and where the next event is. */
export class ServedStates {
  constructor(private readonly meta: PageMeta) {}

  /** Run `run`'s state after command `cmd` (0…its commands) with that command's facts. */
  async state(run: number, cmd: number): Promise<OpeningState> {
    const bytes = new Uint8Array(await (await ask(stateUrl(run, cmd))).arrayBuffer());
    return decodeOpeningState(bytes, this.meta.runs[run]!.header.layout);
  }

  /** The nearest command of run `run` after (1) or before (−1) `cmd` with a fact of kind `kind`. */
  async event(run: number, cmd: number, kind: EventKind, dir: 1 | -1): Promise<EventAnswer> {
    return (await (await ask(eventUrl(run, cmd, kind, dir))).json()) as EventAnswer;
  }
}

/** GETs `url` from the page's own server; a failed answer is an Error with the server's message. */
async function ask(url: string): Promise<Response> {
  const res = await fetch(url, { cache: 'no-store', credentials: 'omit' });
  if (!res.ok) throw new Error(`${url}: ${res.status} ${(await res.text()).trim()}`);
  return res;
}
