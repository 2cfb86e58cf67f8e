import * as fs from 'node:fs';
import * as path from 'node:path';

const PACKAGE_NAME = 'symtail';
/** Where `npm run build` writes the bundled runtime handler, relative to the package root. */
export const HANDLER_BUNDLE_PATH = path.join('dist', 'runtime-bundle', 'index.js');
/** Where `npm run build` writes the bundled Slack front door. */
export const SLACK_FRONT_DOOR_BUNDLE_PATH = path.join('dist', 'slack-bundle', 'index.js');

/** The nearest folder at or above `startDir` holding the `package.json` of this package. */
export function findPackageRoot(startDir: string): string {
  for (let dir = path.resolve(startDir); ; dir = path.dirname(dir)) {
    if (readPackageName(path.join(dir, 'package.json')) === PACKAGE_NAME) return dir;
    if (path.dirname(dir) === dir) {
      throw new Error(`cannot find the ${PACKAGE_NAME} package: no package.json named "${PACKAGE_NAME}" at or above ${startDir}`);
    }
  }
}

/** A pre-built bundle of this package (the runtime handler by default); synth zips it and never runs a bundler. */
export function locateHandlerBundle(startDir: string = __dirname, bundlePath: string = HANDLER_BUNDLE_PATH): string {
  const root = findPackageRoot(startDir);
  const bundle = path.join(root, bundlePath);
  if (!fs.existsSync(bundle)) {
    throw new Error(`the bundle ${bundle} is missing: run "npm run build" in ${root} first`);
  }
  return bundle;
}

function readPackageName(file: string): unknown {
  try {
    return (JSON.parse(fs.readFileSync(file, 'utf8')) as { name?: unknown }).name;
  } catch {
    // Absent or unreadable: not the package root, keep walking up.
    return undefined;
  }
}
