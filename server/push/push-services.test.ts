import { describe, expect, it } from 'vitest';
import { BROWSER_PUSH_SERVICES, isAllowedEndpoint } from './push-services.ts';
import { retryAfterMs } from './send-push-message.ts';

describe('isAllowedEndpoint', () => {
  it('allows the browsers’ push services and nothing else by default', () => {
    const allowed = (endpoint: string) => isAllowedEndpoint(endpoint, BROWSER_PUSH_SERVICES);
    expect(allowed('https://fcm.googleapis.com/fcm/send/abc')).toBe(true);
    expect(allowed('https://updates.push.services.mozilla.com/wpush/v2/abc')).toBe(true);
    expect(allowed('https://wns2-par02p.notify.windows.com/w/?token=abc')).toBe(true);
    expect(allowed('https://web.push.apple.com/abc')).toBe(true);
    expect(allowed('http://fcm.googleapis.com/fcm/send/abc')).toBe(false); // not https
    expect(allowed('https://fcm.googleapis.com.evil.example/x')).toBe(false);
    expect(allowed('https://notify.windows.com.evil.example/x')).toBe(false);
    expect(allowed('https://user:pass@fcm.googleapis.com/x')).toBe(false);
    expect(allowed('https://fcm.googleapis.com:8443/x')).toBe(false);
    expect(allowed('http://127.0.0.1:8080/push')).toBe(false);
    expect(allowed('not a url')).toBe(false);
  });

  it('allows an origin named in PUSH_SERVICES, port and all', () => {
    expect(isAllowedEndpoint('http://127.0.0.1:4555/push/1', ['http://127.0.0.1:4555'])).toBe(true);
    expect(isAllowedEndpoint('http://127.0.0.1:4556/push/1', ['http://127.0.0.1:4555'])).toBe(false);
  });
});

describe('retryAfterMs', () => {
  it('reads seconds and HTTP dates, and nothing else', () => {
    const now = Date.parse('2026-12-03T10:00:00Z');
    expect(retryAfterMs('120', now)).toBe(120_000);
    expect(retryAfterMs('Thu, 03 Dec 2026 10:00:30 GMT', now)).toBe(30_000);
    expect(retryAfterMs('Thu, 03 Dec 2026 09:00:00 GMT', now)).toBe(0);
    expect(retryAfterMs('soon', now)).toBeNull();
    expect(retryAfterMs(null, now)).toBeNull();
  });
});
