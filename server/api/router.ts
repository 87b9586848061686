// The whole tRPC API: one router per area. Its type is what the apps' client is typed with.
import { authRouter } from './auth.ts';
import { bookingsRouter } from './bookings.ts';
import { customersRouter } from './customers.ts';
import { emailsRouter } from './emails.ts';
import { feesRouter } from './fees.ts';
import { notificationsRouter } from './notifications.ts';
import { portalRouter } from './portal.ts';
import { pushRouter } from './push.ts';
import { settingsRouter } from './settings.ts';
import { staffRouter } from './staff.ts';
import { createCallerFactory, router } from './trpc.ts';

export const appRouter = router({
  auth: authRouter,
  bookings: bookingsRouter,
  customers: customersRouter,
  emails: emailsRouter,
  fees: feesRouter,
  notifications: notificationsRouter,
  portal: portalRouter,
  push: pushRouter,
  settings: settingsRouter,
  staff: staffRouter,
});

export type AppRouter = typeof appRouter;
export const createCaller = createCallerFactory(appRouter);
