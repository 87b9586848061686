// The worker's control of when the replica reaches disk. The write itself is a stand-in (the
// file system's IndexedDB write): a browser whose storage is full cannot be made on this
// machine (Chromium 156 headless ignores the DevTools quota override; measured with a probe),
// and the rest (the journal trimmed after a real write) runs in Chromium in
// e2e/admin-offline.spec.ts.
import { describe, expect, it, vi } from 'vitest';
import { scheduleDiskWrites } from './disk-flush.ts';

const noHooks = { before: async () => [] as string[], after: async () => undefined };

describe('scheduleDiskWrites', () => {
  it('runs `after` with what `before` saw, once the database is on disk', async () => {
    const order: string[] = [];
    const disk = scheduleDiskWrites<string[]>(async () => void order.push('write'));
    disk.start({
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
    const disk = scheduleDiskWrites<string[]>(async () => {
      throw quota;
    });
    const after = vi.fn(async () => undefined);
    const refused = vi.fn();
    disk.start({ before: async () => [], after, refused });
    vi.spyOn(console, 'error').mockImplementation(() => undefined);
    await expect(disk.now()).resolves.toBeUndefined();
    expect(refused).toHaveBeenCalledWith(quota);
    expect(after).not.toHaveBeenCalled();
  });

  it('writes concurrent requests together: two writes for a burst, each caller resolved after its data', async () => {
    let writes = 0;
    const disk = scheduleDiskWrites<string[]>(async () => {
      writes++;
      await new Promise((r) => setTimeout(r, 10));
    });
    disk.start(noHooks);
    await Promise.all([disk.now(), disk.now(), disk.now(), disk.now()]);
    expect(writes).toBe(2);
  });

  it('writes after a quiet second when PGlite asks after a query, and only if something is pending', async () => {
    vi.useFakeTimers();
    try {
      const write = vi.fn(async () => undefined);
      const disk = scheduleDiskWrites<string[]>(write);
      disk.start(noHooks);
      await disk.ifPending();
      expect(write).not.toHaveBeenCalled();
      disk.requested(); // what PGlite asks after each query
      await vi.advanceTimersByTimeAsync(900);
      expect(write).not.toHaveBeenCalled();
      await vi.advanceTimersByTimeAsync(200);
      expect(write).toHaveBeenCalledTimes(1);
    } finally {
      vi.useRealTimers();
    }
  });

  it('holds scheduled writes until started and until `notBefore`, then waits for quiet; now() does not wait', async () => {
    vi.useFakeTimers();
    try {
      const write = vi.fn(async () => undefined);
      const disk = scheduleDiskWrites<string[]>(write);
      disk.requested(); // PGlite opening, before the worker has started the schedule
      await vi.advanceTimersByTimeAsync(5000);
      expect(write).not.toHaveBeenCalled();
      let firstSyncIn: () => void = () => undefined;
      disk.start(noHooks, new Promise<void>((resolve) => (firstSyncIn = resolve)));
      disk.requested();
      await vi.advanceTimersByTimeAsync(20_000);
      expect(write).not.toHaveBeenCalled();
      firstSyncIn();
      // Then what was asked is written once the queries have been quiet a second.
      await vi.advanceTimersByTimeAsync(900);
      expect(write).not.toHaveBeenCalled();
      await vi.advanceTimersByTimeAsync(200);
      expect(write).toHaveBeenCalledTimes(1);
      await disk.now();
      expect(write).toHaveBeenCalledTimes(2);
    } finally {
      vi.useRealTimers();
    }
  });
});
