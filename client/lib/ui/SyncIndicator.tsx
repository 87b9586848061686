// The sync state in words (colour only repeats it): online and up to date / offline since when /
// syncing / the first sync's progress / N changes waiting / N not applied.
import { Show } from 'solid-js';
import type { WorkerStatus } from '../replica/channel.ts';

const timeOfDay = (at: number) => new Date(at).toLocaleTimeString([], { hour: 'numeric', minute: '2-digit' });
const plural = (n: number, one: string, many: string) => `${n.toLocaleString()} ${n === 1 ? one : many}`;

export function syncWords(status: WorkerStatus | null, online: boolean): { text: string; tone: string } {
  if (!online)
    return {
      text: `Offline since ${timeOfDay(status?.phase === 'offline' ? status.since : Date.now())}`,
      tone: 'offline',
    };
  switch (status?.phase ?? 'starting') {
    case 'starting':
      return { text: 'Opening…', tone: 'syncing' };
    case 'first-sync':
      return {
        text: `First sync: ${plural(status?.rowsReceived ?? 0, 'row', 'rows')} received…`,
        tone: 'syncing',
      };
    case 'syncing':
      return { text: 'Syncing…', tone: 'syncing' };
    case 'up-to-date':
      return status?.savingFirstSync
        ? { text: 'Synced · saving on this device…', tone: 'syncing' }
        : { text: 'Online and up to date', tone: 'online' };
    case 'offline':
      return { text: `Offline since ${timeOfDay(status?.since ?? Date.now())}`, tone: 'offline' };
    case 'session-expired':
      return { text: 'Signed out: sign in to sync', tone: 'offline' };
    default:
      return { text: status?.message ?? 'Sync stopped', tone: 'offline' };
  }
}

export function SyncIndicator(props: {
  status: WorkerStatus | null;
  online: boolean;
  waiting: number;
  notApplied: number;
}) {
  const words = () => syncWords(props.status, props.online);
  return (
    <span class={`status-pill ${words().tone}`} role="status" aria-live="polite">
      {words().text}
      <Show when={props.waiting}> · {plural(props.waiting, 'change', 'changes')} waiting</Show>
      <Show when={props.notApplied}> · {props.notApplied.toLocaleString()} not applied</Show>
    </span>
  );
}
