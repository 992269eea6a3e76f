import type { Observer } from 'rxjs';
import type { RejectionCode } from '@lmm/core';
import type { RunBatch } from './batch.js';

/** A tap that counts a run's commands, facts and rejected commands by code; read its fields once the stream has completed. */
export class RejectionTap implements Partial<Observer<RunBatch>> {
  /** Rejected commands by code, in the order codes were first seen. */
  readonly rejected: Partial<Record<RejectionCode, number>> = {};
  /** Commands seen. */
  commands = 0;
  /** Facts seen. */
  facts = 0;

  next(batch: RunBatch): void {
    this.commands += batch.count;
    this.facts += batch.facts.length;
    for (const fact of batch.facts) if (fact.type === 'Rejected') this.rejected[fact.code] = (this.rejected[fact.code] ?? 0) + 1;
  }
}
