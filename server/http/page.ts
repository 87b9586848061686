// A small server-rendered page (404s, the dev mailbox, the landing page), readable without the apps.
export function page(title: string, body: string): string {
  return `<!doctype html><html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1"><title>${title}</title>
<style>body{font:16px/1.5 system-ui,sans-serif;max-width:40rem;margin:2rem auto;padding:0 1rem;color:#1a1a1a}
a{color:#0b57d0}</style></head><body><main><h1>${title}</h1>${body}</main></body></html>`;
}
