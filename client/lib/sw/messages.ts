// What the service worker and the pages say to each other.

/** The page asks a waiting new version to take over (the person pressed Reload). */
export const SKIP_WAITING = 'SKIP_WAITING';

/** The page asks the service worker to keep database files the replica's worker fetched without it. */
export const KEEP_DATABASE_ASSETS = 'KEEP_DATABASE_ASSETS';

/** PGlite's first download, reported as it arrives. */
export const ASSET_PROGRESS_CHANNEL = 'database-asset-progress';
export interface AssetProgress {
  readonly url: string;
  readonly loaded: number;
  readonly total: number;
  readonly done: boolean;
}

/**
 * PGlite's engine and data files and the replica's seed (an empty database, gzipped): big,
 * fetched by the replica's worker, kept once fetched.
 */
export const isDatabaseAsset = (pathname: string) =>
  pathname.startsWith('/assets/') && /\.(wasm|data|gz)$/.test(pathname);
