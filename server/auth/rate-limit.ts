// Rate limits for the endpoints that guess-and-check could abuse (DESIGN §5), with
// rate-limiter-flexible. In memory: one server process is one limiter; a deployment with
// several processes would move these to its Postgres store.
import { RateLimiterMemory, RateLimiterRes } from 'rate-limiter-flexible';

export interface RateLimits {
  /** Password sign-in: per email and address, and per address. */
  signIn(ip: string, email: string): Promise<RateDecision>;
  /** Emailed sign-in links: per email and per address. */
  signInLink(ip: string, email: string): Promise<RateDecision>;
  /** Opening or using emailed link tokens: per address. */
  linkToken(ip: string): Promise<RateDecision>;
  /** New appointment requests: per customer. */
  appointmentRequest(customerId: string): Promise<RateDecision>;
}

export type RateDecision = { ok: true } | { ok: false; retryAfterSeconds: number };

export function createRateLimits(): RateLimits {
  const perAccount = new RateLimiterMemory({ keyPrefix: 'signin-account', points: 5, duration: 15 * 60 });
  const perAddress = new RateLimiterMemory({ keyPrefix: 'signin-ip', points: 50, duration: 15 * 60 });
  // Guessing one account's password from many addresses.
  const perEmail = new RateLimiterMemory({ keyPrefix: 'signin-email', points: 20, duration: 15 * 60 });
  const linkPerEmail = new RateLimiterMemory({ keyPrefix: 'link-email', points: 3, duration: 15 * 60 });
  const linkPerAddress = new RateLimiterMemory({ keyPrefix: 'link-ip', points: 20, duration: 15 * 60 });
  const tokenPerAddress = new RateLimiterMemory({ keyPrefix: 'token-ip', points: 60, duration: 60 });
  const requestsPerCustomer = new RateLimiterMemory({
    keyPrefix: 'appointment',
    points: 10,
    duration: 60 * 60,
  });
  return {
    signIn: (ip, email) =>
      consume(
        [perAccount, `${ip}|${email.toLowerCase()}`],
        [perEmail, email.toLowerCase()],
        [perAddress, ip],
      ),
    signInLink: (ip, email) => consume([linkPerEmail, email.toLowerCase()], [linkPerAddress, ip]),
    linkToken: (ip) => consume([tokenPerAddress, ip]),
    appointmentRequest: (customerId) => consume([requestsPerCustomer, customerId]),
  };
}

async function consume(...limits: [RateLimiterMemory, string][]): Promise<RateDecision> {
  try {
    for (const [limiter, key] of limits) await limiter.consume(key);
    return { ok: true };
  } catch (error) {
    if (error instanceof RateLimiterRes) {
      return { ok: false, retryAfterSeconds: Math.max(1, Math.ceil(error.msBeforeNext / 1000)) };
    }
    throw error;
  }
}
