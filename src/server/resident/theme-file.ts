// SPDX-License-Identifier: EUPL-1.2
/**
 * The municipality's own design tokens (THEME_CSS_FILE): a CSS file or npm package the
 * municipality supplies, never copied into this repository. Read and checked once, at start.
 */
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { isAbsolute, join, resolve } from 'node:path';
import { appConfig } from '../runtime.ts';

export type ThemeTokens = ReadonlyMap<string, string>;

const NAME = /^--[A-Za-z0-9_-]+$/;
// Inlined into a <style> element: no way out of the declaration, the rule or the element, and no fetches.
const VALUE = /^[^;{}<>\\]+$/;
const FORBIDDEN_VALUE = /url\(|expression\(|@import/i;
// The tokens go on the page root whatever they were written under (NL Design System themes use a class).
const SELECTOR = /^(:root|html|\.[A-Za-z0-9_-]+)(\s*,\s*(:root|html|\.[A-Za-z0-9_-]+))*$/;
const VAR_REFERENCE = /var\(\s*(--[A-Za-z0-9_-]+)/g;

/**
 * Where THEME_CSS_FILE points: a file path (absolute, or relative to the working folder), or a
 * file in an installed package, e.g. `@gemeente-voorbeeld/design-tokens/dist/index.css`.
 */
export function resolveThemeFile(spec: string, cwd: string = process.cwd()): string {
  if (isAbsolute(spec) || spec.startsWith('.')) return resolve(cwd, spec);
  try {
    return createRequire(join(cwd, 'package.json')).resolve(spec);
  } catch {
    // a package whose "exports" do not list its CSS can still be read where npm put it
    const inModules = join(cwd, 'node_modules', spec);
    if (existsSync(inModules)) return inModules;
    throw new Error(
      `THEME_CSS_FILE: "${spec}" is not a file, nor a file in an installed package (npm install the municipality's token package first)`,
    );
  }
}

/**
 * The custom properties of a token stylesheet. Only rules of custom properties under `:root`,
 * `html` or a theme class are accepted: no other properties, at-rules, nesting, url() or markup.
 */
export function parseThemeCss(css: string, source: string): Map<string, string> {
  const tokens = new Map<string, string>();
  // comments out, keeping their line breaks so errors name the right line
  const text = css.replace(/\/\*[\s\S]*?\*\//g, (comment) => comment.replace(/[^\n]/g, ' '));
  const rule = /\s*([^{}]+?)\s*\{([^{}]*)\}\s*/y;
  let at = 0;
  while (at < text.length && text.slice(at).trim()) {
    rule.lastIndex = at;
    const match = rule.exec(text);
    const line = text.slice(0, at).split('\n').length;
    if (!match)
      throw new Error(`${source}, line ${line}: only rules of custom properties are allowed (no @-rules or nesting)`);
    const [, selector = '', body = ''] = match;
    if (!SELECTOR.test(selector)) {
      throw new Error(
        `${source}, line ${line}: selector "${selector}" — only :root, html or a theme class (.x-theme); the tokens apply to the whole page`,
      );
    }
    for (const declaration of body.split(';')) {
      if (!declaration.trim()) continue;
      const colon = declaration.indexOf(':');
      const name = declaration.slice(0, colon).trim();
      const value = declaration.slice(colon + 1).trim();
      if (colon < 0 || !NAME.test(name))
        throw new Error(`${source}, line ${line}: "${declaration.trim()}" is not a custom property (--name: value)`);
      if (!VALUE.test(value) || FORBIDDEN_VALUE.test(value) || /!important/i.test(value)) {
        throw new Error(
          `${source}, line ${line}: ${name} has a value that is not allowed (no url(), !important, <, >, {, }, \\)`,
        );
      }
      tokens.set(name, value);
    }
    at = rule.lastIndex;
  }
  if (tokens.size === 0) throw new Error(`${source}: no custom properties found`);
  return tokens;
}

export function loadThemeFile(spec: string): ThemeTokens {
  const file = resolveThemeFile(spec);
  let css: string;
  try {
    css = readFileSync(file, 'utf8');
  } catch (error) {
    throw new Error(`THEME_CSS_FILE: cannot read ${file}: ${error instanceof Error ? error.message : String(error)}`, {
      cause: error,
    });
  }
  return parseThemeCss(css, `THEME_CSS_FILE ${file}`);
}

/**
 * What a page needs of the tokens: the `--hg-…` ones and whatever the municipality's own `theme`
 * values refer to, with everything those refer to in turn. A full NL Design System token set runs
 * to thousands of properties; the first screen must stay within 14 KB.
 */
export function usedTokens(tokens: ThemeTokens, referencedBy: Iterable<string>): [string, string][] {
  const wanted = new Set<string>();
  const queue = [...tokens.keys()].filter((name) => name.startsWith('--hg-'));
  for (const value of referencedBy) for (const m of value.matchAll(VAR_REFERENCE)) queue.push(m[1] as string);
  while (queue.length) {
    const name = queue.pop() as string;
    const value = tokens.get(name);
    if (wanted.has(name) || value === undefined) continue;
    wanted.add(name);
    for (const m of value.matchAll(VAR_REFERENCE)) queue.push(m[1] as string);
  }
  return [...tokens].filter(([name]) => wanted.has(name));
}

let loaded: { spec: string | undefined; tokens: ThemeTokens | null } | undefined;

/** Reads THEME_CSS_FILE (if set) once per process; throws on a missing or invalid file. */
export function themeFileTokens(spec: string | undefined = appConfig().themeCssFile): ThemeTokens | null {
  if (!loaded || loaded.spec !== spec) loaded = { spec, tokens: spec ? loadThemeFile(spec) : null };
  return loaded.tokens;
}
