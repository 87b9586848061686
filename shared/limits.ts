// Sizes the server accepts per request, shared so the apps never send more than that, and how
// long its links work, shared so the apps say the same.

/**
 * The largest request body /api/trpc reads. The largest legitimate input is an email
 * template: two bodies of up to 50,000 characters, about 300 KB of JSON even when every
 * character takes three UTF-8 bytes, so 1 MB leaves room and still bounds a hostile POST.
 */
export const MAX_REQUEST_BYTES = 1024 * 1024;

/** The most procedures one batched tRPC request may call; the apps' batch link sends at most this. */
export const MAX_BATCH_PROCEDURES = 20;

/** How long a staff member's set-password link works (an invitation, a reset, `create-admin --link`). */
export const PASSWORD_LINK_HOURS = 24;
