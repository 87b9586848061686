// What the service worker and the pages say to each other.

/** The page asks a waiting new version to take over (the person pressed Reload). */
export const SKIP_WAITING = 'SKIP_WAITING';

/** The page asks the service worker to keep database files the replica's worker fetched without it. */
export const KEEP_DATABASE_ASSETS = 'KEEP_DATABASE_ASSETS';

/** Where the service worker keeps the database's files (isDatabaseAsset) once fetched. */
export const DATABASE_ASSETS_CACHE = 'database-assets';

/**
 * PGlite's engine and data files and the replica's seed (an empty database, gzipped): big,
 * fetched by the replica's worker, kept once fetched.
 */
export const isDatabaseAsset = (pathname: string) =>
  pathname.startsWith('/assets/') && /\.(wasm|data|gz)$/.test(pathname);
