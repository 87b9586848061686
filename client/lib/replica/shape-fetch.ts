// How the replica's shape streams fetch: the `fetchClient` pglite-sync hands to Electric's
// client. Two things a first sync of 10,000 bookings waited on (bench:admin):
// - Values stay as Postgres wrote them. The client parses every value into a JavaScript type
//   by the shape's schema (the `electric-schema` header), in a JSON.parse reviver, and
//   pglite-sync hands them straight back to Postgres, which reads the text again: about 1.8 s
//   of the worker's time for 21,000 rows. Booleans and bytes are still parsed (PGlite sends
//   only JavaScript booleans and byte arrays as those), and json and jsonb (pglite-sync's bulk
//   insert, json_to_recordset, would store their text as a JSON string).
// - A new replica's first requests go out as the worker starts, while PGlite opens (2 to 3 s),
//   and the streams take those answers when they ask the same thing.

/** The gatekeeper's address for one of the role's shapes (never a raw shape URL). */
export const shapeUrl = (origin: string, shape: string) => `${origin}/api/shapes/${shape}`;

/** Types the client still parses (see above). */
const PARSED_TYPES = new Set(['bool', 'bytea', 'json', 'jsonb']);

/**
 * The fetch for the replica's shape streams. `firstRequestsOf` are shape URLs whose first
 * request (a new subscription's) is sent now, before any stream asks.
 */
export function replicaShapeFetch(firstRequestsOf: readonly string[] = []): typeof fetch {
  const early = new Map<string, Promise<Response | null>>();
  for (const url of firstRequestsOf) {
    const request = firstRequest(url);
    // null if it fails: the stream's own request (with its retries) goes out instead.
    early.set(
      request,
      fetch(request).catch(() => null),
    );
  }
  return async (input, init) => {
    const key = requestKey(String(input instanceof Request ? input.url : input));
    const answered = early.get(key);
    early.delete(key);
    const response = (await answered) ?? (await fetch(input, init));
    return withTextValues(response);
  };
}

/** A stream's first request of a shape it has nothing of, as Electric's client sends it. */
const firstRequest = (url: string) => requestKey(`${url}?log=full&offset=-1`);

/** One spelling for the same request: its parameters in order. */
function requestKey(url: string): string {
  const parsed = new URL(url, self.location.href);
  parsed.searchParams.sort();
  return parsed.href;
}

function withTextValues(response: Response): Response {
  const schema = response.headers.get('electric-schema');
  if (response.status !== 200 || !schema) return response;
  const kept = Object.fromEntries(
    Object.entries(JSON.parse(schema) as Record<string, { type?: string }>).filter(([, column]) =>
      PARSED_TYPES.has(column.type ?? ''),
    ),
  );
  const headers = new Headers(response.headers);
  headers.set('electric-schema', JSON.stringify(kept));
  return new Response(response.body, { status: response.status, statusText: response.statusText, headers });
}
