// Notifications marked read on the device, offline too: one local write for the ones chosen
// (one, or every unread one the list shows: not those that arrive later), sent through the
// queue like every change.
import { MarkNotificationsReadInput } from '../../../shared/schemas.ts';
import type { Replica } from '../replica/open-replica.ts';
import { overlayRow, validate } from './local-rows.ts';
import { queueWrite } from './queue.ts';

/** Marks the unread ones of `ids` read; resolves with the write id, or null when none was unread. */
export async function markNotificationsReadLocally(
  replica: Replica,
  ids: readonly string[],
): Promise<string | null> {
  const unread = await replica.query<Record<string, unknown> & { id: string }>(
    'SELECT * FROM notifications WHERE id = ANY($1) AND read_at IS NULL',
    [ids],
  );
  if (!unread.length) return null;
  const writeId = crypto.randomUUID();
  const readAt = new Date().toISOString();
  const { writeId: _id, ...input } = validate(MarkNotificationsReadInput, {
    writeId,
    ids: unread.map((n) => n.id),
    readAt,
  });
  return queueWrite(replica, {
    writeId,
    procedure: 'notifications.markRead',
    input,
    entity: { table: 'notifications', id: unread.length === 1 ? (unread[0]?.id ?? '') : 'several' },
    summary: unread.length === 1 ? 'Mark a notification read' : `Mark ${unread.length} notifications read`,
    overlays: unread.map((n) => ({
      table: 'notifications' as const,
      row: overlayRow(replica, 'notifications', { ...n, read_at: readAt }),
    })),
  });
}
