// Template rendering: `{{name}}` is replaced by its value (HTML-escaped in HTML parts),
// `{{#name}}…{{/name}}` keeps its inside only when the value is non-empty. Unknown
// placeholders are refused when a template is saved, so rendering never meets one.
export type TemplateValues = Readonly<Record<string, string>>;

const BLOCK = /\{\{#([a-z_]+)\}\}([\s\S]*?)\{\{\/\1\}\}/g;
const PLACEHOLDER = /\{\{\s*([a-z_]+)\s*\}\}/g;

export function escapeHtml(value: string): string {
  return value.replace(/[&<>"']/g, (ch) => `&#${ch.charCodeAt(0)};`);
}

export function renderTemplate(template: string, values: TemplateValues, mode: 'html' | 'text'): string {
  const withBlocks = template.replace(BLOCK, (_all, name: string, inner: string) =>
    values[name] ? inner : '',
  );
  return withBlocks.replace(PLACEHOLDER, (_all, name: string) => {
    const value = values[name] ?? '';
    return mode === 'html' ? escapeHtml(value) : value;
  });
}
