// An error whose message is already a sentence for the person at the screen (a form's input
// refused by the shared schema, the local database not answering in time).
export class UserFacingError extends Error {}

/** The browser refused to store more (IndexedDB full, or blocked as in some private windows). */
export const STORAGE_REFUSED =
  'This device would not store the app’s data: its storage is full or blocked (as in some private windows). Free some space or leave private browsing, then reload.';

export function isStorageRefusal(error: unknown): boolean {
  const name = (error as { name?: string } | null)?.name ?? '';
  const text = String((error as { message?: string } | null)?.message ?? '');
  return name === 'QuotaExceededError' || /quota|storage.*(full|exceeded)|IndexedDB/i.test(text);
}
