// DESIGN §2's arrows, checked on every import of every source file, so a wrong one fails the
// unit tests with the file and the import named:
//
//   - shared/ and server/domain/ are the rules: no I/O. They import Node built-ins never, npm
//     packages only from PURE_PACKAGES, and nothing of server/ (domain: besides itself) or client/.
//   - server/shape-service/ is an Electric-compatible shape service that knows nothing of the
//     product: it imports only its own files, Node built-ins and npm packages.
//   - client/ takes only types from server/ (`import type`, erased at build time), and nothing
//     of server/ or shared/ imports client/.
//
// Imports are read with the TypeScript parser Vite builds with (`parseSync`, oxc), not with a
// regular expression: strings and comments that look like imports do not count, and
// `import { type A }` is told apart from `import { A }`. Test files are exempt: a test beside
// a pure rule may use whatever it needs.
import { readdirSync, readFileSync } from 'node:fs';
import { builtinModules } from 'node:module';
import path from 'node:path';
import { parseSync } from 'vite';
import { describe, expect, it } from 'vitest';

const ROOT = path.resolve(import.meta.dirname, '../..');
const SOURCE_ROOTS = ['client', 'server', 'shared'];

/**
 * npm packages with no I/O, which the pure layers may use. Add one here only if it computes
 * and nothing else: no network, files, database, timers or globals.
 */
const PURE_PACKAGES = new Set(['zod', 'date-fns', '@date-fns/tz']);

interface Import {
  /** As written. */
  readonly specifier: string;
  /** Erased at build time: every name imported is a type. */
  readonly typeOnly: boolean;
  readonly line: number;
}

/** Every import and re-export of a module, dynamic ones included. */
function importsOf(file: string, source: string): Import[] {
  const result = parseSync(file, source);
  if (result.errors.length) {
    throw new Error(`${file} does not parse: ${result.errors.map((e) => e.message).join('; ')}`);
  }
  const lineOf = (offset: number) => source.slice(0, offset).split('\n').length;
  const out: Import[] = [];
  for (const imp of result.module.staticImports) {
    out.push({
      specifier: imp.moduleRequest.value,
      // `import './x.ts'` runs the module: not a type, however empty.
      typeOnly: imp.entries.length > 0 && imp.entries.every((e) => e.isType),
      line: lineOf(imp.start),
    });
  }
  for (const exp of result.module.staticExports) {
    const reexports = exp.entries.filter((e) => e.moduleRequest);
    const first = reexports[0]?.moduleRequest;
    if (!first) continue;
    out.push({ specifier: first.value, typeOnly: reexports.every((e) => e.isType), line: lineOf(exp.start) });
  }
  for (const dyn of result.module.dynamicImports) {
    const text = source.slice(dyn.moduleRequest.start, dyn.moduleRequest.end);
    const literal = /^(['"`])([^'"`$]*)\1$/.exec(text);
    out.push({ specifier: literal?.[2] ?? `<computed: ${text}>`, typeOnly: false, line: lineOf(dyn.start) });
  }
  return out;
}

type Target =
  | { readonly kind: 'builtin' }
  | { readonly kind: 'package'; readonly name: string }
  | { readonly kind: 'file'; readonly path: string }
  | { readonly kind: 'unknown' };

/** What a specifier in `file` (a path from the repo root, with /) points at. */
function targetOf(file: string, specifier: string): Target {
  if (specifier.startsWith('<computed')) return { kind: 'unknown' };
  if (specifier.startsWith('node:') || builtinModules.includes(specifier.split('/')[0] as string)) {
    return { kind: 'builtin' };
  }
  if (specifier.startsWith('.') || specifier.startsWith('/')) {
    return { kind: 'file', path: path.posix.normalize(path.posix.join(path.posix.dirname(file), specifier)) };
  }
  const parts = specifier.split('/');
  return {
    kind: 'package',
    name: specifier.startsWith('@') ? parts.slice(0, 2).join('/') : (parts[0] as string),
  };
}

const under = (p: string, folder: string) => p === folder || p.startsWith(`${folder}/`);

/** The broken arrows of one file (a path from the repo root, with /), as sentences. */
function violations(file: string, source: string): string[] {
  const out: string[] = [];
  const pure = under(file, 'shared') || under(file, 'server/domain');
  const service = under(file, 'server/shape-service');
  const client = under(file, 'client');
  for (const imp of importsOf(file, source)) {
    const at = `${file}:${imp.line} imports '${imp.specifier}'`;
    const target = targetOf(file, imp.specifier);
    if (target.kind === 'unknown') {
      if (pure || service || client) out.push(`${at}: a computed import cannot be checked; name the module`);
      continue;
    }
    if (pure) {
      if (target.kind === 'builtin') {
        out.push(`${at}: shared/ and server/domain/ hold the rules and do no I/O, so no Node built-ins`);
      } else if (target.kind === 'package' && !PURE_PACKAGES.has(target.name)) {
        out.push(
          `${at}: shared/ and server/domain/ do no I/O; '${target.name}' is not in PURE_PACKAGES ` +
            `(test/architecture/import-rules.test.ts), which lists the packages that only compute`,
        );
      } else if (target.kind === 'file') {
        const allowed = under(file, 'shared') ? ['shared'] : ['shared', 'server/domain'];
        if (!allowed.some((f) => under(target.path, f))) {
          out.push(
            `${at} (${target.path}): ${file.split('/')[0] === 'shared' ? 'shared/' : 'server/domain/'} may import only ${allowed.map((f) => `${f}/`).join(' and ')}`,
          );
        }
      }
    }
    if (service && target.kind === 'file' && !under(target.path, 'server/shape-service')) {
      out.push(
        `${at} (${target.path}): the shape service knows nothing of the product; ` +
          'pass what it needs as a parameter, or give it its own copy',
      );
    }
    if (client && target.kind === 'file' && under(target.path, 'server') && !imp.typeOnly) {
      out.push(`${at} (${target.path}): the client may take only types from the server (\`import type\`)`);
    }
    if (!client && target.kind === 'file' && under(target.path, 'client')) {
      out.push(`${at} (${target.path}): nothing of the server or shared/ imports the client`);
    }
  }
  return out;
}

function sourceFiles(): string[] {
  const files: string[] = [];
  for (const root of SOURCE_ROOTS) {
    for (const entry of readdirSync(path.join(ROOT, root), { recursive: true, withFileTypes: true })) {
      if (!entry.isFile() || !/\.tsx?$/.test(entry.name) || /\.test\.tsx?$/.test(entry.name)) continue;
      if (entry.name.endsWith('.d.ts')) continue;
      const full = path.join(entry.parentPath, entry.name);
      if (full.split(path.sep).includes('node_modules')) continue;
      files.push(path.relative(ROOT, full).split(path.sep).join('/'));
    }
  }
  return files.sort();
}

describe('the rules catch what they are for', () => {
  it.each([
    ['shared/x.ts', `import pg from 'pg';`, /no I\/O; 'pg' is not in PURE_PACKAGES/],
    ['shared/x.ts', `import { readFileSync } from 'node:fs';`, /no Node built-ins/],
    ['shared/x.ts', `import { readFileSync } from 'fs';`, /no Node built-ins/],
    ['server/domain/x.ts', `import express from 'express';`, /'express' is not in PURE_PACKAGES/],
    [
      'server/domain/x.ts',
      `import type { Pool } from '../db/pool.ts';`,
      /may import only shared\/ and server\/domain\//,
    ],
    ['shared/x.ts', `import { rule } from '../server/domain/rule.ts';`, /may import only shared\//],
    ['shared/x.ts', `export { a } from '../server/db/a.ts';`, /may import only shared\//],
    ['shared/x.ts', `const m = await import('nodemailer');`, /'nodemailer' is not in PURE_PACKAGES/],
    ['shared/x.ts', 'const m = await import(name);', /computed import cannot be checked/],
    [
      'server/shape-service/x.ts',
      `import type { Logger } from '../logger.ts';`,
      /knows nothing of the product/,
    ],
    ['server/shape-service/x.ts', `import { a } from '../../shared/a.ts';`, /knows nothing of the product/],
    [
      'client/lib/x.ts',
      `import { createCaller } from '../../server/api/router.ts';`,
      /only types from the server/,
    ],
    [
      'client/lib/x.ts',
      `import { type A, b } from '../../server/api/router.ts';`,
      /only types from the server/,
    ],
    ['client/lib/x.ts', `import '../../server/api/router.ts';`, /only types from the server/],
    ['server/api/x.ts', `import { App } from '../../client/admin/App.tsx';`, /imports the client/],
  ])('%s: %s', (file, source, message) => {
    expect(violations(file, source).join('\n')).toMatch(message);
  });

  it.each([
    ['shared/x.ts', `import { z } from 'zod';\nimport { a } from './a.ts';`],
    ['server/domain/x.ts', `import { a } from '../../shared/a.ts';\nimport { b } from './b.ts';`],
    [
      'server/shape-service/x.ts',
      `import pg from 'pg';\nimport http from 'node:http';\nimport { a } from './a.ts';`,
    ],
    ['client/lib/x.ts', `import type { AppRouter } from '../../server/api/router.ts';`],
    ['client/lib/x.ts', `import { type AppRouter } from '../../server/api/router.ts';`],
    ['client/lib/x.ts', `export type { AppRouter } from '../../server/api/router.ts';`],
    ['server/sync/x.ts', `import { parseWhere } from '../shape-service/where.ts';`],
    // Strings and comments are not imports.
    ['shared/x.ts', `// import pg from 'pg'\nconst s = "import fs from 'node:fs'";`],
  ])('lets %s: %s through', (file, source) => {
    expect(violations(file, source)).toEqual([]);
  });
});

describe('every source file keeps the arrows', () => {
  const files = sourceFiles();

  it('finds the source files', () => {
    expect(files).toContain('shared/shape-catalog.ts');
    expect(files).toContain('server/shape-service/main.ts');
    expect(files.some((f) => f.startsWith('client/'))).toBe(true);
  });

  it('has no import that breaks one', () => {
    const broken = files.flatMap((file) => violations(file, readFileSync(path.join(ROOT, file), 'utf8')));
    expect(broken).toEqual([]);
  });
});
