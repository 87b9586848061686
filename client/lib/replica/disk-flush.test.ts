// The worker's control of when the replica reaches disk. PGlite here is a stand-in with the two
// methods disk-flush.ts touches: a browser whose storage is full cannot be made on this machine
// (Chromium 156 headless ignores the DevTools quota override; measured with a probe), and the
// rest (the journal trimmed after a real write) runs in Chromium in e2e/admin-offline.spec.ts.
import { describe, expect, it, vi } from 'vitest';
import { takeOverDiskFlush } from './disk-flush.ts';

function standIn(write: () => Promise<void>) {
  return { syncToFs: async () => undefined, fs: { syncToFs: vi.fn(write) } };
}

type Pg = Parameters<typeof takeOverDiskFlush>[0];

describe('takeOverDiskFlush', () => {
  it('runs `after` with what `before` saw, once the database is on disk', async () => {
    const order: string[] = [];
    const pg = standIn(async () => void order.push('write'));
    const disk = takeOverDiskFlush(pg as unknown as Pg, {
      before: async () => {
        order.push('before');
        return ['w1'];
      },
      after: async (seen) => void order.push(`after ${seen.join()}`),
    });
    await disk.now();
    expect(order).toEqual(['before', 'write', 'after w1']);
  });

  it('says a refused write (storage full) and does not reject or run `after`', async () => {
    const quota = Object.assign(new Error('The quota has been exceeded.'), { name: 'QuotaExceededError' });
    const pg = standIn(async () => {
      throw quota;
    });
    const after = vi.fn(async () => undefined);
    const refused = vi.fn();
    const disk = takeOverDiskFlush(pg as unknown as Pg, { before: async () => [], after, refused });
    vi.spyOn(console, 'error').mockImplementation(() => undefined);
    await expect(disk.now()).resolves.toBeUndefined();
    expect(refused).toHaveBeenCalledWith(quota);
    expect(after).not.toHaveBeenCalled();
  });

  it('writes concurrent requests together: two writes for a burst, each caller resolved after its data', async () => {
    let writes = 0;
    const pg = standIn(async () => {
      writes++;
      await new Promise((r) => setTimeout(r, 10));
    });
    const disk = takeOverDiskFlush(pg as unknown as Pg, {
      before: async () => [],
      after: async () => undefined,
    });
    await Promise.all([disk.now(), disk.now(), disk.now(), disk.now()]);
    expect(writes).toBe(2);
  });

  it('writes after a quiet second when PGlite asks after a query, and only if something is pending', async () => {
    vi.useFakeTimers();
    try {
      const pg = standIn(async () => undefined);
      const disk = takeOverDiskFlush(pg as unknown as Pg, {
        before: async () => [],
        after: async () => undefined,
      });
      await disk.ifPending();
      expect(pg.fs.syncToFs).not.toHaveBeenCalled();
      await pg.syncToFs(); // what PGlite calls after each query
      await vi.advanceTimersByTimeAsync(900);
      expect(pg.fs.syncToFs).not.toHaveBeenCalled();
      await vi.advanceTimersByTimeAsync(200);
      expect(pg.fs.syncToFs).toHaveBeenCalledTimes(1);
    } finally {
      vi.useRealTimers();
    }
  });
});
