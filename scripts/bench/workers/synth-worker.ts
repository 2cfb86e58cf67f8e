// One synthesis in a fresh process: builds the named app into `outdir` and prints its SynthReport. Only the chosen
// app's modules are loaded, so each variant pays for exactly the code it needs.
import { App } from 'cdktf';
import { readSynthOutput } from '../synth-output';
import { SYNTH_VARIANTS, SynthReport, SynthVariant } from '../synth-variants';

const [variant, outdir, countsJson] = process.argv.slice(2);

async function builder(name: SynthVariant): Promise<(app: App) => void> {
  switch (name) {
    case 'example': {
      const { buildTailscaleSshAccess } = await import('../../../examples/tailscale-ssh-access/main');
      return (app) => buildTailscaleSshAccess(app);
    }
    case 'many-targets': {
      const { buildManyTargets } = await import('../synth-apps/many-targets');
      return (app) => buildManyTargets(app, Number(countsJson));
    }
    case 'bare': {
      const { buildBareStack } = await import('../synth-apps/bare-stack');
      return (app) => buildBareStack(app, JSON.parse(countsJson) as Record<string, number>);
    }
  }
}

async function main(): Promise<void> {
  if (!(SYNTH_VARIANTS as readonly string[]).includes(variant) || !outdir) {
    throw new Error(`usage: synth-worker <${SYNTH_VARIANTS.join('|')}> <outdir> [count | resource counts JSON]`);
  }
  const build = await builder(variant as SynthVariant);
  const app = new App({ outdir });
  build(app);
  app.synth();
  // Since this process started: Node's own start, module loading, construction and synthesis, the same for all.
  const ms = performance.now();
  const report: SynthReport = { ms, ...readSynthOutput(outdir) };
  process.stdout.write(JSON.stringify(report));
}

main().catch((error: Error) => {
  process.stderr.write(`${error.message}\n`);
  process.exit(1);
});
