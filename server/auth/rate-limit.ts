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
  /**
   * Emailed sign-in links. Per address: refused. Per email: answered as usual but not sent
   * (`send: false`), so a stranger asking for someone's links cannot stop them signing in.
   */
  signInLink(
    ip: string,
    email: string,
  ): Promise<{ ok: true; send: boolean } | { ok: false; retryAfterSeconds: number }>;
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
    async signIn(address, email) {
      const ip = addressKey(address);
      const emailKey = email.toLowerCase();
      const accountKey = `${ip}|${emailKey}`;
      // An account under attack from many addresses: an address that has failed for it waits,
      // one that has not (the staff member at their own desk) still gets its attempt. The
      // count this attempt's own reservation returns decides, so guesses sent at once from a
      // fresh address cannot all pass as its first.
      let mine: RateLimiterRes;
      try {
        mine = await perAccount.consume(accountKey);
      } catch (error) {
        if (error instanceof RateLimiterRes) return refusal(error);
        throw error;
      }
      const fromAddress = await consume([perAddress, ip]);
      if (!fromAddress.ok) {
        await giveBack(perAccount, accountKey);
        return fromAddress;
      }
      const anywhere = await perEmail.get(emailKey);
      if (anywhere && anywhere.consumedPoints >= EMAIL_FAILURES && mine.consumedPoints > 1) {
        await giveBack(perAccount, accountKey);
        await giveBack(perAddress, ip);
        return refusal(anywhere);
      }
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
    async signInLink(address, email) {
      const ip = addressKey(address);
      const fromHere = await consume([linkPerAddress, ip]);
      if (!fromHere.ok) return fromHere;
      const forEmail = await consume([linkPerEmail, email.toLowerCase()]);
      return { ok: true, send: forEmail.ok };
    },
    linkToken: (address) => consume([tokenPerAddress, addressKey(address)]),
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

/**
 * The key an address is limited by. One IPv6 customer is handed a whole /64, so an IPv6
 * address counts as its /64 (else each of its 2^64 addresses would get fresh tries); an
 * IPv4-mapped IPv6 address counts as the IPv4 address.
 */
export function addressKey(ip: string): string {
  const address = ip.replace(/%.*$/, '');
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address);
  if (mapped?.[1]) return mapped[1];
  if (!address.includes(':')) return address;
  const [head = '', tail] = address.split('::');
  const left = head ? head.split(':') : [];
  const right = tail ? tail.split(':') : [];
  const groups =
    tail === undefined
      ? left
      : [...left, ...Array(Math.max(0, 8 - left.length - right.length)).fill('0'), ...right];
  return `${groups
    .slice(0, 4)
    .map((g) => Number.parseInt(g || '0', 16).toString(16))
    .join(':')}::/64`;
}
