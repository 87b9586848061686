// /dev/mailbox (a page, newest first, each email's HTML in a sandboxed frame whose links
// open in the tab) and /dev/mailbox.json (the same as data, for tests and scripts).
import type express from 'express';
import type { Pool } from '../db/pool.ts';
import { page } from '../http/page.ts';
import { escapeHtml } from '../mail/render.ts';
import { listMailbox, type MailboxMessage } from './mailbox.ts';

const LOCAL_HOSTS = new Set(['localhost', '127.0.0.1', '[::1]']);

export function mountDevMailbox(app: express.Express, pool: Pool): void {
  // Only for a browser on this machine: a page on another site that rebinds its DNS name to
  // 127.0.0.1 still sends its own name as Host, and gets a 404.
  app.use('/dev', (req, res, next) => {
    const host = (req.get('host') ?? '').replace(/:\d+$/, '');
    if (LOCAL_HOSTS.has(host)) return next();
    res.status(404).type('text').send('Not found');
  });
  app.get('/dev/mailbox.json', async (_req, res) => {
    res.json({ messages: await listMailbox(pool) });
  });
  app.get('/dev/mailbox', async (_req, res) => {
    const messages = await listMailbox(pool);
    const body = messages.length
      ? messages.map(messageHtml).join('\n')
      : '<p>No emails yet. Ask for a sign-in link in the <a href="/portal/">portal</a>.</p>';
    res.type('html').send(
      page(
        'Dev mailbox',
        `<p role="status">${messages.length} email(s), newest first. New ones appear by themselves.</p>${body}
${reloadOnNewMail(messages[0]?.id ?? 0)}`,
      ),
    );
  });
}

function messageHtml(m: MailboxMessage): string {
  const html = m.html
    ? // The email's own HTML, isolated: no scripts, no same-origin access; a clicked link opens here.
      `<iframe title="Email: ${escapeHtml(m.subject)}" sandbox="allow-top-navigation-by-user-activation allow-popups"
  style="width:100%;min-height:16rem;border:1px solid #ccc" srcdoc="${escapeHtml(`<base target="_top">${m.html}`)}"></iframe>`
    : `<pre style="white-space:pre-wrap">${escapeHtml(m.text)}</pre>`;
  return `<article aria-label="${escapeHtml(m.subject)}" style="border-top:1px solid #ddd;padding:1rem 0">
<h2 style="font-size:1.1rem;margin:0">${escapeHtml(m.subject)}</h2>
<p style="margin:.25rem 0;color:#555">To ${escapeHtml(m.to)} · ${m.receivedAt.toISOString()}</p>
${html}
<details><summary>Text part</summary><pre style="white-space:pre-wrap">${escapeHtml(m.text)}</pre></details>
</article>`;
}

/** Reloads the page when a newer email than `newestId` arrives (polls every 2 s). */
function reloadOnNewMail(newestId: number): string {
  return `<script>
setInterval(async () => {
  const { messages } = await (await fetch('/dev/mailbox.json')).json();
  if ((messages[0]?.id ?? 0) !== ${newestId}) location.reload();
}, 2000);
</script>`;
}
