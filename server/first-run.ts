// A boot step: what an empty database needs before anyone can use the product, with or
// without demo data: the business's settings row and the default email templates. It only
// fills in what is missing, so an edited setting or template is never overwritten.
import { BusinessSettingsUpdate } from '../shared/schemas.ts';
import type { Queryable } from './db/queryable.ts';
import { DEFAULT_TEMPLATES } from './mail/default-templates.ts';

/**
 * The settings of a new business until an admin changes them (settings.update). Customer
 * cancelling starts off: the business decides when to allow it. Contact details start empty.
 */
export const FIRST_RUN_SETTINGS = {
  name: 'Your business',
  contactEmail: '',
  contactPhone: '',
  currency: 'USD',
  customerCancelEnabled: false,
} as const;

export interface FirstRunResult {
  /** Whether the settings row was created now (false: it was there already). */
  readonly settingsCreated: boolean;
  /** The template kinds added now. */
  readonly templatesAdded: readonly string[];
}

export async function ensureFirstRunDefaults(
  db: Queryable,
  env: NodeJS.ProcessEnv = process.env,
): Promise<FirstRunResult> {
  const timeZone = firstRunTimeZone(env);
  // The other columns keep the schema's defaults (cutoff 0, comment required, reminder 24 h, …).
  // Postgres must know the zone too (the triggers format times with it): else UTC.
  const settings = await db.query(
    `INSERT INTO business_settings (name, contact_email, contact_phone, time_zone, currency, customer_cancel_enabled)
     SELECT $1, $2, $3, coalesce((SELECT name FROM pg_timezone_names WHERE name = $4 LIMIT 1), 'UTC'), $5, $6
      WHERE NOT EXISTS (SELECT 1 FROM business_settings)
     ON CONFLICT (id) DO NOTHING`,
    [
      FIRST_RUN_SETTINGS.name,
      FIRST_RUN_SETTINGS.contactEmail,
      FIRST_RUN_SETTINGS.contactPhone,
      timeZone,
      FIRST_RUN_SETTINGS.currency,
      FIRST_RUN_SETTINGS.customerCancelEnabled,
    ],
  );
  return { settingsCreated: (settings.rowCount ?? 0) > 0, templatesAdded: await installDefaultTemplates(db) };
}

/** Adds each default template whose kind has none yet; returns the kinds added. */
export async function installDefaultTemplates(db: Queryable): Promise<string[]> {
  const added: string[] = [];
  for (const t of DEFAULT_TEMPLATES) {
    const { rowCount } = await db.query(
      `INSERT INTO email_templates (kind, subject, body_html, body_text) VALUES ($1, $2, $3, $4)
       ON CONFLICT (kind) DO NOTHING`,
      [t.kind, t.subject, t.bodyHtml, t.bodyText],
    );
    if (rowCount) added.push(t.kind);
  }
  return added;
}

/** TZ if it names a time zone, else the machine's own, else UTC. */
export function firstRunTimeZone(env: NodeJS.ProcessEnv = process.env): string {
  const candidates = [env.TZ?.replace(/^:/, ''), Intl.DateTimeFormat().resolvedOptions().timeZone];
  for (const zone of candidates) {
    // The same check an admin's choice of time zone goes through.
    if (zone && BusinessSettingsUpdate.shape.timeZone.safeParse(zone).success) return zone;
  }
  return 'UTC';
}
