// Removes compiled files whose source is gone. `tsc -b` builds incrementally and never deletes: a renamed or
// deleted lib/foo.ts would leave dist/lib/foo.js behind, to be published and imported as if it still existed.
const fs = require('node:fs');
const path = require('node:path');

const root = path.resolve(__dirname, '..');
const OUTPUT = /\.(d\.ts|js|js\.map|d\.ts\.map)$/;

function prune(outDir, sourceDir) {
  if (!fs.existsSync(outDir)) return;
  for (const entry of fs.readdirSync(outDir, { withFileTypes: true })) {
    const out = path.join(outDir, entry.name);
    if (entry.isDirectory()) {
      prune(out, path.join(sourceDir, entry.name));
      if (fs.readdirSync(out).length === 0) fs.rmdirSync(out);
    } else if (OUTPUT.test(entry.name) && !fs.existsSync(path.join(sourceDir, entry.name.replace(OUTPUT, '.ts')))) {
      fs.rmSync(out);
    }
  }
}

for (const dir of ['lib', 'scripts', 'examples']) prune(path.join(root, 'dist', dir), path.join(root, dir));
