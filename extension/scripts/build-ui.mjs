/**
 * Bundles the UI for the hosts outside JupyterLab with esbuild, into ../inngest_lab/ui_build/:
 *   dashboard.js + dashboard.css   the standalone dashboard the headless server serves at /
 *   chunk-<hash>.js                parts loaded on demand (the CodeMirror editor, the Metrics page's uPlot charts)
 *   widgets.js + widgets.css       the notebook widgets' anywidget module (inngest_lab/widgets/bundle.py)
 * Run by `jlpm build` / `jlpm build:prod`, so `pip install` (hatch-jupyter-builder) builds it. Prints each
 * file's size and gzipped size; fails when the dashboard's gzipped JavaScript (all chunks) is over the 300 KB budget.
 */
import { build } from 'esbuild';
import { readFileSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';

const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, '..');
const out = join(root, '..', 'inngest_lab', 'ui_build');
const production = !process.argv.includes('--dev');
const BUDGET_GZIP_BYTES = 300 * 1024;

rmSync(out, { recursive: true, force: true }); // no stale chunks from an earlier build

// The notebook widgets: one self-contained ES module (anywidget loads it as a string: no chunks) and its CSS.
const widgets = await build({
  absWorkingDir: root,
  entryPoints: { widgets: 'src/widget/main.ts' },
  bundle: true,
  format: 'esm',
  target: ['es2020'],
  minify: production,
  legalComments: 'none',
  outdir: out,
  metafile: true,
  logLevel: 'warning'
});

const result = await build({
  absWorkingDir: root,
  entryPoints: { dashboard: 'src/dashboard/main.ts' },
  bundle: true,
  // ES modules with code splitting: CodeMirror (only the JSON modals need it) and uPlot (only the Metrics page
  // needs it) load on first use, so the runs page parses a small entry chunk.
  format: 'esm',
  splitting: true,
  entryNames: '[name]',
  chunkNames: 'chunk-[hash]',
  target: ['es2020'],
  minify: production,
  sourcemap: production ? false : 'inline',
  legalComments: 'none',
  outdir: out,
  metafile: true,
  logLevel: 'warning'
});

for (const file of Object.keys(widgets.metafile.outputs)) {
  const bytes = readFileSync(join(root, file));
  console.log(`ui build: ${file.replace(/^.*ui_build\//, '')} ${(bytes.length / 1024).toFixed(1)} KB, gzipped ${(gzipSync(bytes).length / 1024).toFixed(1)} KB`);
}
let jsGzip = 0;
for (const file of Object.keys(result.metafile.outputs)) {
  const bytes = readFileSync(join(root, file));
  const gz = gzipSync(bytes, { level: 9 }).length;
  if (file.endsWith('.js')) {
    jsGzip += gz; // every chunk counts toward the budget, loaded up front or not
  }
  console.log(`ui build: ${file.replace(/^.*ui_build\//, '')} ${(bytes.length / 1024).toFixed(1)} KB, gzipped ${(gz / 1024).toFixed(1)} KB`);
}
if (production && jsGzip > BUDGET_GZIP_BYTES) {
  console.error(`ui build: the gzipped JavaScript is ${(jsGzip / 1024).toFixed(1)} KB, over the ${BUDGET_GZIP_BYTES / 1024} KB budget`);
  process.exit(1);
}
