// Writes snippets/kql.json from the hunt library (src/hunts/library.ts).
//
//   node scripts/generate-snippets.mjs           write the file
//   node scripts/generate-snippets.mjs --check   exit 1 if the file is out of date
//
// The library is TypeScript, so esbuild bundles it with src/hunts/snippets.ts
// in memory into CommonJS, which is then evaluated here.
import * as esbuild from 'esbuild';
import { readFile, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const outputPath = join(root, 'snippets', 'kql.json');
const check = process.argv.includes('--check');

/** Bundles the library and the snippet builder, and returns the module's exports. */
async function loadLibrary() {
  const result = await esbuild.build({
    stdin: {
      contents: [
        "export { HUNTS } from './src/hunts/library';",
        "export { buildSnippets } from './src/hunts/snippets';",
      ].join('\n'),
      resolveDir: root,
      sourcefile: 'generate-snippets-entry.ts',
      loader: 'ts',
    },
    bundle: true,
    write: false,
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    logLevel: 'warning',
  });
  const module = { exports: {} };
  const evaluate = new Function('module', 'exports', 'require', result.outputFiles[0].text);
  evaluate(module, module.exports, createRequire(import.meta.url));
  return module.exports;
}

async function main() {
  const { HUNTS, buildSnippets } = await loadLibrary();
  const text = `${JSON.stringify(buildSnippets(HUNTS), null, 2)}\n`;
  const shownPath = relative(root, outputPath);

  if (check) {
    const current = await readFile(outputPath, 'utf8').catch((error) => {
      if (error.code === 'ENOENT') return undefined;
      throw error;
    });
    if (current !== text) {
      console.error(`${shownPath} is out of date: run \`node scripts/generate-snippets.mjs\`.`);
      process.exit(1);
    }
    console.log(`${shownPath} is up to date (${HUNTS.length} hunts).`);
    return;
  }

  await writeFile(outputPath, text);
  console.log(`Wrote ${shownPath} with ${HUNTS.length} snippets.`);
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
