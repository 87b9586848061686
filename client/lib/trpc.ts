// The apps' typed API client. The only thing the client takes from the server is the
// router's *type* (erased at build time), so calls and answers are checked end to end.
import { createTRPCClient, httpBatchLink, TRPCClientError } from '@trpc/client';
import type { AppRouter } from '../../server/api/router.ts';
import { MAX_BATCH_PROCEDURES } from '../../shared/limits.ts';
import { isStorageRefusal, STORAGE_REFUSED, UserFacingError } from './errors.ts';

export const api = createTRPCClient<AppRouter>({
  // The server refuses a larger batch; the link splits one instead of sending it.
  links: [httpBatchLink({ url: '/api/trpc', maxItems: MAX_BATCH_PROCEDURES })],
});

const OFFLINE = 'You are offline. Check your connection and try again.';
const CANNOT_REACH = 'Cannot reach the server. Check your connection and try again.';

/** A sentence for the person at the screen, whatever went wrong. */
export function errorMessage(error: unknown): string {
  if (error instanceof UserFacingError) return error.message;
  if (isStorageRefusal(error)) return STORAGE_REFUSED;
  if (error instanceof TRPCClientError) {
    // No answer in tRPC's shape: the request never reached the server (its message is the
    // browser's own, "Failed to fetch"), or something between answered instead.
    if (!error.data) return navigator.onLine ? CANNOT_REACH : OFFLINE;
    return error.message || 'Something went wrong. Please try again.';
  }
  if (error instanceof TypeError) return CANNOT_REACH;
  return 'Something went wrong. Please try again.';
}
