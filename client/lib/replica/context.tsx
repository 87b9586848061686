// The open replica, for every screen below the app's frame.
import { createContext, useContext } from 'solid-js';
import type { Replica } from './open-replica.ts';

export const ReplicaContext = createContext<Replica>();

export function useReplica(): Replica {
  const replica = useContext(ReplicaContext);
  if (!replica) throw new Error('useReplica() outside <ReplicaContext.Provider>');
  return replica;
}
