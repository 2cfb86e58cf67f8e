import { assertedIdentity } from './asserted-identity';
import { crossAccountCallers } from './cross-account-callers';
import { customerKeyDecrypt } from './customer-key-decrypt';
import { directInvocation } from './direct-invocation';
import { identityCenterRules } from './identity-center-rules';
import { requestsApiCallers } from './requests-api-callers';
import { RuntimeRule } from './rule';
import { secretsInRuntimeEnvironment } from './secret-environment';
import { silentAlarms } from './silent-alarms';
import { slackChannels } from './slack-channels';
import { uniqueNames } from './unique-names';
import { unsweptFlows } from './unswept-flows';

export * from './rule';

/** Every rule a runtime checks its flows against before it writes the manifest. */
export const RUNTIME_RULES: readonly RuntimeRule[] = [
  uniqueNames,
  secretsInRuntimeEnvironment,
  customerKeyDecrypt,
  slackChannels,
  assertedIdentity,
  requestsApiCallers,
  crossAccountCallers,
  identityCenterRules,
  directInvocation,
  unsweptFlows,
  silentAlarms,
];
