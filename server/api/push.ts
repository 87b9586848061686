// Web push, for staff (the fieldworker app's opt-in; admins may opt in too): the VAPID public
// key a browser subscribes with, and this device's subscription stored or removed through the
// one write path. Only endpoints of known push services are kept (server/push/push-services.ts).
import { PushSubscribeInput, PushUnsubscribeInput } from '../../shared/schemas.ts';
import { removeSubscription, saveSubscription } from '../db/push-subscriptions.ts';
import { isAllowedEndpoint } from '../push/push-services.ts';
import { ensureVapidKeys } from '../push/vapid.ts';
import { router, staffProcedure } from './trpc.ts';
import { acceptWrite, performWrite, rejectWrite, writerOf } from './write.ts';

export const UNKNOWN_PUSH_SERVICE =
  'This browser’s push service is not one this server sends to, so notifications cannot be pushed to this device. They still arrive in the app’s list.';

export const pushRouter = router({
  publicKey: staffProcedure.query(async ({ ctx }) => {
    const { publicKey } = await ensureVapidKeys(ctx.pool, ctx.push.vapidKeys);
    return { publicKey };
  }),

  subscribe: staffProcedure.input(PushSubscribeInput).mutation(({ ctx, input }) => {
    const { writeId, deviceId, endpoint, keys } = input;
    const payload = {
      procedure: 'push.subscribe',
      by: writerOf(ctx.session),
      input: { deviceId, endpoint, keys },
    };
    return performWrite(ctx.pool, { writeId, payload }, async (db) => {
      if (!isAllowedEndpoint(endpoint, ctx.push.services))
        return rejectWrite('BAD_REQUEST', UNKNOWN_PUSH_SERVICE);
      const saved = await saveSubscription(db, { userId: ctx.session.userId, deviceId, endpoint, ...keys });
      return acceptWrite({ subscribed: true as const, id: saved.id });
    });
  }),

  unsubscribe: staffProcedure.input(PushUnsubscribeInput).mutation(({ ctx, input }) => {
    const { writeId, deviceId } = input;
    const payload = { procedure: 'push.unsubscribe', by: writerOf(ctx.session), input: { deviceId } };
    return performWrite(ctx.pool, { writeId, payload }, async (db) =>
      acceptWrite({ removed: await removeSubscription(db, ctx.session.userId, deviceId) }),
    );
  }),
});
