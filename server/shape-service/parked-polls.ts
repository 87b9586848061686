// Live long-polls waiting for their shape to change, answered together. When a change lands,
// the response body for each offset waited on is made once (the page cache of shape-server.ts)
// and every request parked at that offset is answered in one synchronous loop: no promise, no
// listener on the shape and no continuation per request, which is what 1,000 clients of one
// shape cost the server besides the bytes it writes to each of them.
import type { ServerResponse } from 'node:http';
import { formatOffset, type LogOffset } from './offset.ts';
import type { ShapeLog } from './shape-log.ts';

/** Why a parked request is answered: its page has changes, its time ran out, or the shape went. */
export type Wake<Page> =
  | { readonly kind: 'page'; readonly page: Page }
  | { readonly kind: 'timeout' }
  | { readonly kind: 'gone' | 'failed' };

interface Poll<Page> {
  readonly res: ServerResponse;
  readonly answer: (wake: Wake<Page>) => void;
  timer: NodeJS.Timeout | null;
  readonly onClose: () => void;
}

interface Parked<Page> {
  /** Polls by the offset they wait after, with that offset. */
  readonly groups: Map<string, { readonly from: LogOffset; readonly polls: Set<Poll<Page>> }>;
  readonly unsubscribe: () => void;
  version: number;
}

export class ParkedPolls<Page extends { readonly count: number }> {
  private readonly byShape = new Map<ShapeLog, Parked<Page>>();
  private parkedCount = 0;

  constructor(
    private readonly longPollMs: number,
    /** The page after `from` as it stands: shared by every request at that offset. */
    private readonly pageFor: (shape: ShapeLog, from: LogOffset) => Page,
  ) {}

  /** Requests parked right now, on every shape. */
  get count(): number {
    return this.parkedCount;
  }

  /** Parks a live request at `from` until a change reaches it, its time runs out, or it leaves. */
  park(shape: ShapeLog, from: LogOffset, res: ServerResponse, answer: (wake: Wake<Page>) => void): void {
    let parked = this.byShape.get(shape);
    if (!parked) {
      const created: Parked<Page> = {
        groups: new Map(),
        unsubscribe: shape.subscribe(() => this.wake(shape, created)),
        version: shape.version,
      };
      parked = created;
      this.byShape.set(shape, parked);
    }
    const key = formatOffset(from);
    let group = parked.groups.get(key);
    if (!group) {
      group = { from, polls: new Set() };
      parked.groups.set(key, group);
    }
    const polls = group.polls;
    const poll: Poll<Page> = {
      res,
      answer,
      timer: null,
      onClose: () => this.leave(shape, key, poll),
    };
    poll.timer = setTimeout(() => {
      if (this.leave(shape, key, poll)) answer({ kind: 'timeout' });
    }, this.longPollMs);
    polls.add(poll);
    this.parkedCount++;
    res.on('close', poll.onClose);
  }

  /** Takes a poll off the shape; false if it had already left. */
  private leave(shape: ShapeLog, key: string, poll: Poll<Page>): boolean {
    const parked = this.byShape.get(shape);
    const group = parked?.groups.get(key);
    if (!parked || !group?.polls.delete(poll)) return false;
    this.release(poll);
    if (group.polls.size === 0) parked.groups.delete(key);
    if (parked.groups.size === 0) this.forget(shape, parked);
    return true;
  }

  private release(poll: Poll<Page>): void {
    if (poll.timer) clearTimeout(poll.timer);
    poll.res.off('close', poll.onClose);
    this.parkedCount--;
  }

  private forget(shape: ShapeLog, parked: Parked<Page>): void {
    parked.unsubscribe();
    this.byShape.delete(shape);
  }

  /** The shape changed: answer every poll its new entries reach, or all of them if it went. */
  private wake(shape: ShapeLog, parked: Parked<Page>): void {
    const ended = shape.gone ? 'gone' : shape.snapshotState === 'failed' ? 'failed' : null;
    if (!ended && shape.version === parked.version) return; // snapshot progress, readiness…
    parked.version = shape.version;
    for (const [key, group] of [...parked.groups]) {
      const page = ended ? null : this.pageFor(shape, group.from);
      if (page && page.count === 0) continue;
      parked.groups.delete(key);
      for (const poll of group.polls) {
        this.release(poll);
        try {
          poll.answer(page ? { kind: 'page', page } : { kind: ended as 'gone' | 'failed' });
        } catch {
          if (!poll.res.headersSent) {
            poll.res.statusCode = 500;
            poll.res.end();
          }
        }
      }
    }
    if (parked.groups.size === 0) this.forget(shape, parked);
  }
}
