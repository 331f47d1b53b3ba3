import { fromEnv } from '@aws-sdk/credential-provider-env';

/**
 * The credential chain of a deployed function. Lambda hands a function its role's credentials in environment
 * variables (`AWS_ACCESS_KEY_ID`, `AWS_SECRET_ACCESS_KEY`, `AWS_SESSION_TOKEN`), and nothing else is ever there to
 * find. The bundle aliases `@aws-sdk/credential-provider-node` to this module (infra/bundling.ts), so the SDK's
 * default chain (profiles, SSO, web identity, process, container and instance metadata, each with the STS and SSO
 * clients it calls) is not bundled: 98 KiB less per function, with the same SDK version as everywhere else.
 * Local runs and tests import the SDK from node_modules and keep its full chain.
 */
export const defaultProvider: (init?: Parameters<typeof fromEnv>[0]) => ReturnType<typeof fromEnv> = (init) => fromEnv(init);
