// The shape catalog: DESIGN §3's table as data. Which shapes the apps may sync, and for each
// role the rows (table, `where`, which session field fills each `$n`) and the columns, each
// with its Postgres type.
//
// Pure data, read in three places: the gatekeeper (server/sync/) turns it and a session into
// the shape it asks the shape service for, so a request can never say what a shape contains;
// the tRPC routers' tests check that an output sends no column the same role could not sync;
// and the browser replica can build its local tables from the types.
//
// Columns are listed, never "all": a column added to a table is synced to nobody until it is
// listed in SYNCED_TABLES (which the admin sees whole), and to a fieldworker only when it is
// also added to a fieldworker list. The types are checked against the real database by
// test/integration/shapes/catalog-types.test.ts, so they cannot drift from migrations/.

/** Postgres types of synced columns, spelled as in migrations/ (and as a replica's DDL takes them). */
export type PgType = 'uuid' | 'text' | 'boolean' | 'integer' | 'bigint' | 'timestamptz' | 'jsonb' | 'char(3)';

export interface CatalogColumn {
  readonly name: string;
  readonly type: PgType;
}

/** The roles that sync. Customers have no shapes: the portal reads through tRPC. */
export const SHAPE_ROLES = ['admin', 'fieldworker'] as const;
export type ShapeRole = (typeof SHAPE_ROLES)[number];

/** What fills a `$n` of a `where`: a field of the signed-in person's session. */
export type SessionField = 'userId';

/**
 * The tables shapes read, with every column that may be synced to anyone, and nothing else:
 * no password hashes, no token hashes. Order is the table's own.
 */
export const SYNCED_TABLES = {
  bookings: {
    primaryKey: ['id'],
    columns: {
      id: 'uuid',
      customer_id: 'uuid',
      service_id: 'uuid',
      fieldworker_id: 'uuid',
      status: 'text',
      starts_at: 'timestamptz',
      ends_at: 'timestamptz',
      address: 'text',
      notes: 'text',
      price_minor: 'integer',
      currency: 'char(3)',
      last_write_id: 'uuid',
      created_at: 'timestamptz',
      updated_at: 'timestamptz',
      cancelled_at: 'timestamptz',
      cancelled_by_role: 'text',
      cancelled_by_user_id: 'uuid',
      cancelled_by_customer_id: 'uuid',
      cancel_channel: 'text',
      cancel_comment: 'text',
      cancel_fee_id: 'uuid',
      cancel_fee_name: 'text',
      cancel_fee_minor: 'integer',
      cancel_fee_tax_minor: 'integer',
      cancel_seen_at: 'timestamptz',
      customer_first_name: 'text',
      customer_phone: 'text',
    },
  },
  notifications: {
    primaryKey: ['id'],
    columns: {
      id: 'uuid',
      user_id: 'uuid',
      booking_id: 'uuid',
      kind: 'text',
      title: 'text',
      body: 'text',
      created_at: 'timestamptz',
      read_at: 'timestamptz',
    },
  },
  customers: {
    primaryKey: ['id'],
    columns: {
      id: 'uuid',
      name: 'text',
      email: 'text',
      phone: 'text',
      address: 'text',
      created_at: 'timestamptz',
    },
  },
  services: {
    primaryKey: ['id'],
    columns: {
      id: 'uuid',
      name: 'text',
      description: 'text',
      duration_minutes: 'integer',
      price_minor: 'integer',
      active: 'boolean',
    },
  },
  fees: {
    primaryKey: ['id'],
    columns: {
      id: 'uuid',
      name: 'text',
      kind: 'text',
      amount_minor: 'integer',
      percent_bp: 'integer',
      tax_rate_bp: 'integer',
      active: 'boolean',
      created_at: 'timestamptz',
      updated_at: 'timestamptz',
    },
  },
  business_settings: {
    primaryKey: ['id'],
    columns: {
      id: 'boolean',
      name: 'text',
      contact_email: 'text',
      contact_phone: 'text',
      address: 'text',
      time_zone: 'text',
      currency: 'char(3)',
      customer_cancel_enabled: 'boolean',
      customer_cancel_cutoff_hours: 'integer',
      cancel_comment_required: 'boolean',
      customer_cancel_fee_id: 'uuid',
      customer_fee_window_hours: 'integer',
      fieldworker_cancel_enabled: 'boolean',
      reminder_hours: 'integer',
      unseen_cancel_alert_minutes: 'integer',
      updated_at: 'timestamptz',
    },
  },
  email_templates: {
    primaryKey: ['kind'],
    columns: {
      kind: 'text',
      subject: 'text',
      body_html: 'text',
      body_text: 'text',
      updated_at: 'timestamptz',
    },
  },
  booking_events: {
    primaryKey: ['id'],
    columns: {
      id: 'bigint',
      booking_id: 'uuid',
      kind: 'text',
      from_status: 'text',
      to_status: 'text',
      actor_role: 'text',
      actor_user_id: 'uuid',
      actor_customer_id: 'uuid',
      channel: 'text',
      client_at: 'timestamptz',
      server_at: 'timestamptz',
      comment: 'text',
      fee_id: 'uuid',
      fee_name: 'text',
      fee_minor: 'integer',
      fee_tax_minor: 'integer',
      write_id: 'uuid',
      details: 'jsonb',
    },
  },
  users: {
    // No password_hash, ever.
    primaryKey: ['id'],
    columns: {
      id: 'uuid',
      email: 'text',
      name: 'text',
      role: 'text',
      active: 'boolean',
      created_at: 'timestamptz',
    },
  },
  // The email ledger, as far as Emails › Failed shows it: not the customer, nor the sending lease.
  sent_messages: {
    primaryKey: ['id'],
    columns: {
      id: 'uuid',
      booking_id: 'uuid',
      kind: 'text',
      recipient: 'text',
      subject: 'text',
      attempts: 'integer',
      last_error: 'text',
      failed_at: 'timestamptz',
    },
  },
} as const satisfies Record<
  string,
  { readonly primaryKey: readonly string[]; readonly columns: Readonly<Record<string, PgType>> }
>;

export type SyncedTable = keyof typeof SYNCED_TABLES;
/** The listed columns of T (of any of them, for a union: distributes). */
type ColumnOf<T extends SyncedTable> = T extends SyncedTable
  ? keyof (typeof SYNCED_TABLES)[T]['columns'] & string
  : never;

/** What one role gets of a shape: which rows (none of `where`: every row) and which columns. */
export interface RoleView<T extends SyncedTable = SyncedTable> {
  readonly where?: string;
  /** `params[n]` is filled with the session's `params[n - 1]` field. */
  readonly params?: readonly SessionField[];
  readonly columns: readonly ColumnOf<T>[];
}

export interface CatalogShape<T extends SyncedTable = SyncedTable> {
  readonly table: T;
  readonly roles: Readonly<Partial<Record<ShapeRole, RoleView<T>>>>;
}

const shape = <T extends SyncedTable>(table: T, roles: CatalogShape<T>['roles']): CatalogShape<T> => ({
  table,
  roles,
});

/** Every listed column of a table: what the admin syncs of it. */
const listed = <T extends SyncedTable>(table: T): readonly ColumnOf<T>[] =>
  Object.keys(SYNCED_TABLES[table].columns) as ColumnOf<T>[];

/** Only this person's rows. */
const MINE_BY_USER = { where: 'user_id = $1', params: ['userId'] } as const;

export const SHAPE_CATALOG = {
  bookings: shape('bookings', {
    admin: { columns: listed('bookings') },
    fieldworker: {
      where: 'fieldworker_id = $1',
      params: ['userId'],
      // What the job needs: when, where, what, the job's notes, and whether (and why) it was
      // cancelled. Not prices or fees, nor who in the office or which customer account
      // cancelled. A column added to bookings stays hidden here until added to this list.
      columns: [
        'id',
        'customer_id',
        'service_id',
        'fieldworker_id',
        'status',
        'starts_at',
        'ends_at',
        'address',
        'notes',
        'last_write_id',
        'created_at',
        'updated_at',
        'cancelled_at',
        'cancelled_by_role',
        'cancel_comment',
        'cancel_seen_at',
        // Whom to ask for at the door and call when late: copied from the customer (migration 0008).
        'customer_first_name',
        'customer_phone',
      ],
    },
  }),
  notifications: shape('notifications', {
    admin: { ...MINE_BY_USER, columns: listed('notifications') },
    fieldworker: { ...MINE_BY_USER, columns: listed('notifications') },
  }),
  customers: shape('customers', { admin: { columns: listed('customers') } }),
  services: shape('services', {
    admin: { columns: listed('services') },
    // The services as anyone may know them: no price.
    fieldworker: { columns: ['id', 'name', 'description', 'duration_minutes', 'active'] },
  }),
  fees: shape('fees', { admin: { columns: listed('fees') } }),
  settings: shape('business_settings', {
    admin: { columns: listed('business_settings') },
    // What the fieldworker app needs: the time zone every time shows in, whom to call, and
    // whether they may cancel their own bookings. Not the fees nor the portal's rules.
    fieldworker: { columns: ['id', 'name', 'contact_phone', 'time_zone', 'fieldworker_cancel_enabled'] },
  }),
  email_templates: shape('email_templates', { admin: { columns: listed('email_templates') } }),
  booking_events: shape('booking_events', { admin: { columns: listed('booking_events') } }),
  users: shape('users', { admin: { columns: listed('users') } }),
  failed_emails: shape('sent_messages', {
    admin: {
      // Pushes that failed are the push services' business (a device gone, say), not an email to resend.
      where: "status = 'failed' AND kind <> 'push'",
      columns: listed('sent_messages'),
    },
  }),
} as const satisfies Record<string, CatalogShape>;

export type ShapeName = keyof typeof SHAPE_CATALOG;
export const SHAPE_NAMES = Object.keys(SHAPE_CATALOG) as readonly ShapeName[];

export function isShapeName(name: string): name is ShapeName {
  return Object.hasOwn(SHAPE_CATALOG, name);
}

/** One role's shape, resolved: the table, the rows, and the columns with their types. */
export interface ShapeView {
  readonly table: SyncedTable;
  readonly where: string | undefined;
  readonly params: readonly SessionField[];
  readonly columns: readonly CatalogColumn[];
}

/** What `role` syncs of `shape`, or null when that role may not sync it. */
export function shapeView(shape: ShapeName, role: ShapeRole): ShapeView | null {
  const entry: CatalogShape = SHAPE_CATALOG[shape];
  const view = entry.roles[role];
  if (!view) return null;
  const types: Readonly<Record<string, PgType>> = SYNCED_TABLES[entry.table].columns;
  return {
    table: entry.table,
    where: view.where,
    params: view.params ?? [],
    columns: view.columns.map((name) => ({ name, type: types[name] as PgType })),
  };
}

/**
 * The column names `role` syncs of `shape`; empty when that role may not sync it. What any
 * other way of handing that role rows of the same table (a tRPC output) must stay within.
 */
export function columnsFor(shape: ShapeName, role: ShapeRole): readonly string[] {
  return shapeView(shape, role)?.columns.map((c) => c.name) ?? [];
}
