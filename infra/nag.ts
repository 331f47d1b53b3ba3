import { Validations } from 'aws-cdk-lib';
import type { IRole } from 'aws-cdk-lib/aws-iam';

/**
 * Acknowledges AwsSolutions-IAM5 on the `*` statements CDK itself adds to a role's default policy (X-Ray, log
 * delivery), whose actions have no resource-level permissions. Scoped to the default policy, so a wildcard we
 * add to another policy is still reported.
 */
export function acknowledgeServiceWildcards(role: IRole, reason: string): void {
  const defaultPolicy = role.node.tryFindChild('DefaultPolicy');
  if (defaultPolicy) Validations.of(defaultPolicy).acknowledge({ id: 'AwsSolutions-IAM5[Resource::*]', reason });
}
