/**
 * The entry (src/main.ts) loads the app with a dynamic `import()`, so that it can send the wall's
 * first requests before the app's code is evaluated. Vite preloads a dynamic import's chunks only
 * when it runs; this plugin lists them in index.html too (`modulepreload`, and the app's CSS), so
 * the browser fetches and compiles them from the start, as it did when the entry imported the app.
 */
import type { HtmlTagDescriptor, Plugin } from 'vite';

interface ChunkLike {
  type: 'chunk';
  fileName: string;
  imports: string[];
  dynamicImports: string[];
  viteMetadata?: { importedCss: Set<string> };
}

export function preloadApp(): Plugin {
  let base = '/';
  return {
    name: 'dudao-preload-app',
    apply: 'build',
    configResolved(config) {
      base = config.base;
    },
    transformIndexHtml: {
      order: 'post',
      handler(_html, ctx) {
        const entry = ctx.chunk as ChunkLike | undefined;
        const bundle = ctx.bundle as Record<string, ChunkLike | { type: 'asset' }> | undefined;
        if (!entry || !bundle) return [];
        const chunk = (file: string) => {
          const c = bundle[file];
          return c && c.type === 'chunk' ? c : null;
        };
        // The entry's one dynamic import whose module is app.ts.
        const app = entry.dynamicImports.map(chunk).find((c) => c && /(^|\/)app[-.]/.test(c.fileName));
        if (!app) return [];
        const seen = new Set([entry.fileName, ...entry.imports]);
        const modules: string[] = [];
        const css = new Set<string>();
        const visit = (c: ChunkLike) => {
          for (const f of c.viteMetadata?.importedCss ?? []) css.add(f);
          for (const f of [c.fileName, ...c.imports]) {
            if (seen.has(f)) continue;
            seen.add(f);
            if (f !== c.fileName) modules.push(f);
            const next = chunk(f);
            if (next && f !== c.fileName) visit(next);
          }
        };
        modules.push(app.fileName);
        visit(app);
        const tags: HtmlTagDescriptor[] = modules.map((f) => ({
          tag: 'link',
          attrs: { rel: 'modulepreload', crossorigin: true, href: `${base}${f}` },
          injectTo: 'head',
        }));
        for (const f of css)
          tags.push({
            tag: 'link',
            attrs: { rel: 'stylesheet', crossorigin: true, href: `${base}${f}` },
            injectTo: 'head',
          });
        return tags;
      },
    },
  };
}
