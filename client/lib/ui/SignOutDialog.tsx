// Signing out of a staff app on a device that may be shared. With writes still waiting it says
// how many and offers to send them first; signing out anyway keeps them for this user (sent when
// they sign in again, never under another user). Either way this user's synced data is deleted
// from the device, and its push subscription removed, so the next person sees nothing of it.
import { createSignal, Show } from 'solid-js';
import { turnOffPush } from '../push/push-subscription.ts';
import { useReplica } from '../replica/context.tsx';
import { forgetUser, type StaffAppName, signOutDone } from '../signed-in-user.ts';
import { api } from '../trpc.ts';
import { BusyButton, createAction, FormError } from './form.tsx';
import { ModalDialog } from './ModalDialog.tsx';

const WIPE_TIMEOUT_MS = 15_000;

export function SignOutDialog(props: {
  open: boolean;
  onOpenChange: (open: boolean) => void;
  app: StaffAppName;
  waiting: number;
  /** The server answers (the browser's online flag alone misses a server that went away). */
  reachable: boolean;
  returnFocusTo: () => HTMLElement | undefined;
}) {
  const replica = useReplica();
  const action = createAction();
  const [sendingFirst, setSendingFirst] = createSignal(false);
  const them = () => (props.waiting === 1 ? 'it' : 'them');

  const signOut = () =>
    action.run(async () => {
      await replica.ask({ type: 'sign-out' }, 'signed-out', WIPE_TIMEOUT_MS);
      let serverStillSignedIn = false;
      // The next person at this device gets none of this person's pushes. Offline, the server
      // keeps the subscription until the device's next subscriber takes its endpoint over.
      await turnOffPush().catch(() => {});
      try {
        await api.auth.signOut.mutate();
        signOutDone(props.app);
      } catch {
        serverStillSignedIn = true; // offline: the next start tells the server first
      }
      forgetUser(props.app, { serverStillSignedIn });
      location.reload();
    });

  const sendFirst = () => {
    setSendingFirst(true);
    replica.tell({ type: 'resume' });
  };

  return (
    <ModalDialog
      title="Sign out"
      open={props.open}
      onOpenChange={props.onOpenChange}
      returnFocusTo={props.returnFocusTo}
    >
      <div class="stack">
        <Show
          when={props.waiting}
          fallback={<p>Your data will be removed from this device. It stays safe on the server.</p>}
        >
          <p>
            <strong>
              {props.waiting} {props.waiting === 1 ? 'change is' : 'changes are'} still waiting to be sent.
            </strong>{' '}
            <Show
              when={sendingFirst()}
              fallback={
                props.reachable
                  ? `You can send ${them()} now, then sign out.`
                  : 'The server cannot be reached right now.'
              }
            >
              Sending… Sign out when this says none are waiting.
            </Show>
          </p>
          <p>
            If you sign out anyway, {them()} {props.waiting === 1 ? 'is' : 'are'} kept on this device and sent
            when you sign in here again. The rest of your data is removed from this device.
          </p>
          <Show when={props.reachable && !sendingFirst()}>
            <button type="button" onClick={sendFirst}>
              Send {them()} first
            </button>
          </Show>
        </Show>
        <FormError message={action.error()} />
        <div class="actions">
          <button type="button" class="secondary" onClick={() => props.onOpenChange(false)}>
            Stay signed in
          </button>
          <BusyButton
            busy={action.busy()}
            label={props.waiting ? 'Sign out anyway' : 'Sign out'}
            busyLabel="Signing out…"
            onClick={() => void signOut()}
          />
        </div>
      </div>
    </ModalDialog>
  );
}
