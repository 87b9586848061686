// Who is signed in on this browser, as a Solid resource the apps branch on.
import { createResource } from 'solid-js';
import { api } from './trpc.ts';

export function createSession() {
  const [session, { refetch }] = createResource(() => api.auth.me.query());
  const signOut = async () => {
    await api.auth.signOut.mutate();
    await refetch();
  };
  return { session, refetch, signOut };
}
