// A small server-rendered page (404s, the dev mailbox, the landing page, setting a password),
// readable without the apps; its form fields sized for a thumb.
export function page(title: string, body: string): string {
  return `<!doctype html><html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1"><title>${title}</title>
<style>body{font:16px/1.5 system-ui,sans-serif;max-width:40rem;margin:2rem auto;padding:0 1rem;color:#1a1a1a}
a{color:#0b57d0}
input{box-sizing:border-box;width:100%;max-width:24rem;font:inherit;padding:.6rem;border:1px solid #767676;border-radius:.4rem}
button{font:inherit;padding:.6rem 1.2rem;min-height:2.75rem;border:0;border-radius:.4rem;background:#0b57d0;color:#fff}
button:focus-visible,input:focus-visible{outline:3px solid #0b57d0;outline-offset:2px}</style></head><body><main><h1>${title}</h1>${body}</main></body></html>`;
}
