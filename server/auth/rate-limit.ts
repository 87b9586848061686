// Rate limits for the endpoints that guess-and-check could abuse (DESIGN §5), with
// rate-limiter-flexible. In memory: one server process is one limiter; a deployment with
// several processes would move these to its Postgres store.
import { RateLimiterMemory, RateLimiterRes } from 'rate-limiter-flexible';

export interface RateLimits {
  /**
   * Password sign-in. Only failures count: per address and account, per address, and per
   * account across addresses (that last one slows guessers down but never stops the right
   * password from an address that has not failed, so a stranger cannot lock staff out).
   */
  signIn(ip: string, email: string): Promise<SignInDecision>;
  /** Emailed sign-in links: per email and per address. */
  signInLink(ip: string, email: string): Promise<RateDecision>;
  /** Opening or using emailed link tokens: per address. */
  linkToken(ip: string): Promise<RateDecision>;
  /** New appointment requests: per customer. */
  appointmentRequest(customerId: string): Promise<RateDecision>;
}

export type RateDecision = { ok: true } | { ok: false; retryAfterSeconds: number };

/** A sign-in attempt let through; its outcome decides whether it is charged. */
export interface SignInAttempt {
  /** The password matched: nothing is charged, and this address's failures for the account are forgiven. */
  succeeded(): Promise<void>;
  /** A wrong password or an unknown email (one answer for both): charged everywhere. */
  failed(): Promise<void>;
}

export type SignInDecision = ({ ok: true } & SignInAttempt) | { ok: false; retryAfterSeconds: number };

const WINDOW = 15 * 60;
/** Failures per address and account: a person mistyping gets five tries. */
const ACCOUNT_FAILURES = 5;
/** Failures per address, whatever the account: guessing many accounts from one place. */
const ADDRESS_FAILURES = 50;
/** Failures per account from all addresses, past which only addresses that have not failed yet get a try. */
const EMAIL_FAILURES = 20;

export function createRateLimits(): RateLimits {
  // An attempt reserves a point in the first two before the password is checked, so many
  // guesses sent at once cannot all slip past the count; a success gives it back.
  const perAccount = new RateLimiterMemory({
    keyPrefix: 'signin-account',
    points: ACCOUNT_FAILURES,
    duration: WINDOW,
  });
  const perAddress = new RateLimiterMemory({
    keyPrefix: 'signin-ip',
    points: ADDRESS_FAILURES,
    duration: WINDOW,
  });
  const perEmail = new RateLimiterMemory({
    keyPrefix: 'signin-email',
    points: EMAIL_FAILURES,
    duration: WINDOW,
  });
  const linkPerEmail = new RateLimiterMemory({ keyPrefix: 'link-email', points: 3, duration: 15 * 60 });
  const linkPerAddress = new RateLimiterMemory({ keyPrefix: 'link-ip', points: 20, duration: 15 * 60 });
  const tokenPerAddress = new RateLimiterMemory({ keyPrefix: 'token-ip', points: 60, duration: 60 });
  const requestsPerCustomer = new RateLimiterMemory({
    keyPrefix: 'appointment',
    points: 10,
    duration: 60 * 60,
  });
  return {
    async signIn(ip, email) {
      const emailKey = email.toLowerCase();
      const accountKey = `${ip}|${emailKey}`;
      // An account under attack from many addresses: an address that has failed for it waits,
      // one that has not (the staff member at their own desk) still gets its attempt.
      const [fromHere, fromAnywhere] = await Promise.all([
        perAccount.get(accountKey),
        perEmail.get(emailKey),
      ]);
      if (
        fromAnywhere &&
        fromAnywhere.consumedPoints >= EMAIL_FAILURES &&
        (fromHere?.consumedPoints ?? 0) > 0
      ) {
        return refusal(fromAnywhere);
      }
      const reserved = await consume([perAccount, accountKey], [perAddress, ip]);
      if (!reserved.ok) return reserved;
      return {
        ok: true,
        async succeeded() {
          await perAccount.delete(accountKey);
          await giveBack(perAddress, ip);
        },
        async failed() {
          await perEmail.penalty(emailKey);
        },
      };
    },
    signInLink: (ip, email) => consume([linkPerEmail, email.toLowerCase()], [linkPerAddress, ip]),
    linkToken: (ip) => consume([tokenPerAddress, ip]),
    appointmentRequest: (customerId) => consume([requestsPerCustomer, customerId]),
  };
}

/** Takes a point from each limit in turn; if one is used up, gives back those already taken. */
async function consume(...limits: [RateLimiterMemory, string][]): Promise<RateDecision> {
  const taken: [RateLimiterMemory, string][] = [];
  try {
    for (const [limiter, key] of limits) {
      await limiter.consume(key);
      taken.push([limiter, key]);
    }
    return { ok: true };
  } catch (error) {
    if (error instanceof RateLimiterRes) {
      for (const [limiter, key] of taken) await giveBack(limiter, key);
      return refusal(error);
    }
    throw error;
  }
}

/** Returns a point, unless its window has ended since (a negative count would be a bonus). */
async function giveBack(limiter: RateLimiterMemory, key: string): Promise<void> {
  const current = await limiter.get(key);
  if (current && current.consumedPoints > 0) await limiter.reward(key, 1);
}

function refusal(res: RateLimiterRes): { ok: false; retryAfterSeconds: number } {
  return { ok: false, retryAfterSeconds: Math.max(1, Math.ceil(res.msBeforeNext / 1000)) };
}
