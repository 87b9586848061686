// The business's public card (name, contact, time zone), loaded once per page.
import { createResource } from 'solid-js';
import { api } from './trpc.ts';

export function createBusinessInfo() {
  const [info] = createResource(() => api.settings.publicInfo.query());
  return info;
}
