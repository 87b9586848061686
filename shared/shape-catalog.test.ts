// The shape catalog's own rules: every view a shape service will accept, nothing secret listed,
// and the fieldworker's bookings exactly the columns their job needs.
import { describe, expect, it } from 'vitest';
import {
  columnsFor,
  isShapeName,
  SHAPE_CATALOG,
  SHAPE_NAMES,
  SHAPE_ROLES,
  type ShapeName,
  type ShapeRole,
  SYNCED_TABLES,
  shapeView,
} from './shape-catalog.ts';

const views = SHAPE_NAMES.flatMap((name) =>
  SHAPE_ROLES.flatMap((role) => {
    const view = shapeView(name, role);
    return view ? [{ name, role, view }] : [];
  }),
);

describe('every view', () => {
  it.each(views.map((v) => [v.name, v.role, v.view] as const))('%s for %s', (_name, _role, view) => {
    const table = SYNCED_TABLES[view.table];
    const names = view.columns.map((c) => c.name);
    expect(names.length).toBeGreaterThan(0);
    expect(new Set(names).size).toBe(names.length);
    // A shape service refuses a column list without the primary key (Electric does too).
    for (const pk of table.primaryKey) expect(names).toContain(pk);
    for (const c of view.columns) expect(c.type).toBe((table.columns as Record<string, string>)[c.name]);
    // Every `$n` has a session field, and every session field a `$n`.
    const used = new Set([...(view.where ?? '').matchAll(/\$([0-9]+)/g)].map((m) => Number(m[1])));
    expect([...used].sort()).toEqual(view.params.map((_, i) => i + 1));
  });
});

describe('what is listed', () => {
  it('holds no secret of any table', () => {
    for (const table of Object.values(SYNCED_TABLES)) {
      for (const column of Object.keys(table.columns))
        expect(column).not.toMatch(/hash|token|secret|password/);
    }
  });

  it('lists no column that no view syncs', () => {
    const synced = new Set(views.flatMap((v) => v.view.columns.map((c) => `${v.view.table}.${c.name}`)));
    for (const [table, { columns }] of Object.entries(SYNCED_TABLES)) {
      for (const column of Object.keys(columns)) expect(synced).toContain(`${table}.${column}`);
    }
  });
});

describe('who syncs what (DESIGN §3)', () => {
  const may = (role: ShapeRole) => SHAPE_NAMES.filter((n) => shapeView(n, role) !== null);

  it('gives the admin every shape, and the fieldworker bookings, notifications, services and settings', () => {
    expect(may('admin')).toEqual(SHAPE_NAMES);
    expect(may('fieldworker')).toEqual(['bookings', 'notifications', 'services', 'settings']);
  });

  it('gives a fieldworker of the settings only the time zone, whom to call and their own permission', () => {
    expect(columnsFor('settings', 'fieldworker')).toEqual([
      'id',
      'name',
      'contact_phone',
      'time_zone',
      'fieldworker_cancel_enabled',
    ]);
  });

  it('gives a fieldworker only their own bookings, with exactly the columns their job needs', () => {
    const view = shapeView('bookings', 'fieldworker');
    expect(view?.where).toBe('fieldworker_id = $1');
    expect(view?.params).toEqual(['userId']);
    // An explicit list, compared whole: a column added to bookings stays hidden from
    // fieldworkers until someone adds it here on purpose.
    expect(columnsFor('bookings', 'fieldworker')).toEqual([
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
      'customer_first_name',
      'customer_phone',
    ]);
  });

  it('keeps prices from fieldworkers, and gives everyone only their own notifications', () => {
    expect(columnsFor('services', 'fieldworker')).not.toContain('price_minor');
    expect(columnsFor('services', 'admin')).toContain('price_minor');
    for (const role of SHAPE_ROLES) {
      expect(shapeView('notifications', role)).toMatchObject({ where: 'user_id = $1', params: ['userId'] });
    }
  });

  it('gives no columns to a role that may not sync a shape', () => {
    expect(columnsFor('users', 'fieldworker')).toEqual([]);
  });

  it('resolves types for a replica', () => {
    expect(shapeView('bookings', 'admin')?.columns).toContainEqual({
      name: 'starts_at',
      type: 'timestamptz',
    });
    expect(shapeView('settings', 'admin')?.table).toBe('business_settings');
  });

  it('knows its names, and nothing inherited', () => {
    const names: ShapeName[] = ['bookings', 'users'];
    for (const n of names) expect(isShapeName(n)).toBe(true);
    for (const n of ['sessions', 'constructor', '__proto__', 'toString', 'Bookings']) {
      expect(isShapeName(n)).toBe(false);
    }
    expect(Object.keys(SHAPE_CATALOG)).toEqual(SHAPE_NAMES);
  });
});
