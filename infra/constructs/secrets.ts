import { Validations } from 'aws-cdk-lib';
import { Secret } from 'aws-cdk-lib/aws-secretsmanager';
import { Construct } from 'constructs';
import { secrets as secretSpecs, type SecretKey } from '#shared/topology';

/**
 * The shared secrets of the topology (webhook signing keys), one Secrets Manager secret each.
 *
 * Each starts with a generated random value, so nothing is ever deployed with a known default; the operator
 * replaces it with the value configured at the sender (see the README's deploy section). Functions receive the
 * ARN in the secret's `arnEnvVar` and read the value at run time.
 */
export class Secrets extends Construct {
  readonly secrets: Readonly<Record<SecretKey, Secret>>;

  constructor(scope: Construct, id: string) {
    super(scope, id);
    this.secrets = Object.fromEntries(
      (Object.keys(secretSpecs) as SecretKey[]).map((key) => {
        const spec = secretSpecs[key];
        const secret = new Secret(this, spec.id, {
          description: `O2C ${key} signing secret (read through ${spec.arnEnvVar}); set it to the sender's value after deploy`,
          generateSecretString: { passwordLength: 64, excludePunctuation: true },
        });
        Validations.of(secret).acknowledge({
          id: 'AwsSolutions-SMG4',
          reason:
            'A webhook signing secret is shared with an external sender (store, carrier); it is rotated by hand together with the sender, which a rotation Lambda cannot do.',
        });
        return [key, secret];
      }),
    ) as Record<SecretKey, Secret>;
  }
}
