import { Manifest, validateManifest } from '../../lib/manifest';

/** A manifest like the SSH-access example's, pointed at an emulator. */
export function testManifest(apiBaseUrl: string, overrides: { flow?: object; prod?: object; integration?: object } = {}): Manifest {
  return validateManifest({
    version: 1,
    environment: 'main',
    integrations: {
      'main-tailscale-integration': {
        type: 'tailscale',
        name: 'main-tailscale-integration',
        externalId: 'example.com',
        apiBaseUrl,
        credential: { kind: 'apiKey', secretId: 'sym/main/tailscale-api-key' },
        identityOverrides: { 'dave@corp.example': 'dave@github' },
        ...overrides.integration,
      },
    },
    targets: {
      'main-prod-access': { type: 'tailscale_group', name: 'main-prod-access', label: 'Prod SSH Access', groupName: 'prod', exclusive: false, createGroup: false, ...overrides.prod },
      'main-staging-access': { type: 'tailscale_group', name: 'main-staging-access', label: 'Staging SSH Access', groupName: 'staging', exclusive: false, createGroup: false },
    },
    strategies: {
      'main-tailscale-strategy': { type: 'tailscale', name: 'main-tailscale-strategy', integration: 'main-tailscale-integration', targets: ['main-prod-access', 'main-staging-access'] },
    },
    flows: {
      'tailscale-ssh-access': {
        name: 'tailscale-ssh-access',
        label: 'Tailscale SSH Access',
        strategy: 'main-tailscale-strategy',
        allowRevoke: true,
        scheduleDeescalation: true,
        durations: ['30m', '1h'],
        maxDuration: '1h',
        reasonRequired: true,
        allowedRequesters: [],
        ...overrides.flow,
      },
    },
  });
}
