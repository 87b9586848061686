// PGlite's engine, its compiled wasm and its file bundle, fetched and compiled here instead of
// inside PGlite.create, so that it can begin before the database is known: the sign-in page
// starts the replica's worker and tells it to warm the engine (open-replica.ts), and the
// download and compile (~16 MB; 1.5 to 2.5 s of a first sync in bench:admin) run while the
// person signs in. Written out as files of the package: Vite emits them once, as the same
// assets PGlite itself would fetch.
import { downloadDatabaseFile } from './download.ts';

const WASM_URL = new URL('../../../node_modules/@electric-sql/pglite/dist/pglite.wasm', import.meta.url);
const DATA_URL = new URL('../../../node_modules/@electric-sql/pglite/dist/pglite.data', import.meta.url);

/** What PGlite.create takes instead of loading them itself; empty when they could not be had. */
export interface EngineFiles {
  readonly pgliteWasmModule?: WebAssembly.Module;
  readonly fsBundle?: Blob;
}

let prepared: Promise<EngineFiles> | undefined;

/** What the warm-up prepared; nothing when there was none (PGlite loads the engine itself). */
export const preparedEngine = (): Promise<EngineFiles> => prepared ?? Promise.resolve({});

/** Starts (once) fetching and compiling the engine; PGlite loads it itself if this fails. */
export function prepareEngine(): Promise<EngineFiles> {
  prepared ??= Promise.all([compiled(WASM_URL), blobOf(DATA_URL)]).then(
    ([pgliteWasmModule, fsBundle]) => ({ pgliteWasmModule, fsBundle }),
    (error: unknown) => {
      console.error('Could not fetch the database engine; PGlite will try', error);
      prepared = undefined;
      return {};
    },
  );
  return prepared;
}

async function compiled(url: URL): Promise<WebAssembly.Module> {
  const response = await downloadDatabaseFile(url);
  // Streaming compiles while it downloads (and lets the browser keep the compiled code).
  return response.headers.get('content-type')?.startsWith('application/wasm')
    ? WebAssembly.compileStreaming(response)
    : WebAssembly.compile(await response.arrayBuffer());
}

const blobOf = async (url: URL) => (await downloadDatabaseFile(url)).blob();
