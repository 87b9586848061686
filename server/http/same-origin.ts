// Cross-site request forgery guard for tRPC mutations (POST), beside SameSite=Lax cookies:
// a browser's Sec-Fetch-Site or Origin must say the request came from this site.
import type { RequestHandler } from 'express';

export function checkSameOrigin(publicUrl: string | undefined): RequestHandler {
  const allowed = publicUrl ? new URL(publicUrl).origin : undefined;
  return (req, res, next) => {
    if (req.method !== 'POST') return next();
    const site = req.get('sec-fetch-site');
    const origin = req.get('origin');
    const hostOrigin = `${req.protocol}://${req.get('host')}`;
    const sameSite = site === undefined || site === 'same-origin' || site === 'none';
    const sameOrigin = origin === undefined || origin === allowed || origin === hostOrigin;
    if (sameSite && sameOrigin) return next();
    res.status(403).json({ error: { message: 'This request came from another site and was refused.' } });
  };
}
