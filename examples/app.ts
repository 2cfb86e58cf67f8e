// Both examples as one CDKTF app: what `npm run synth` (cdktf.json's "app") synthesizes into cdktf.out/.
import { App } from 'cdktf';
import { buildExistingStack } from './existing-stack/main';
import { buildTailscaleSshAccess } from './tailscale-ssh-access/main';

const app = new App();
buildTailscaleSshAccess(app);
buildExistingStack(app);
app.synth();
