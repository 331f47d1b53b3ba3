import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import {
  AccountRecovery,
  FeaturePlan,
  Mfa,
  StandardThreatProtectionMode,
  UserPool,
  type UserPoolClient,
  type UserPoolGroup,
} from 'aws-cdk-lib/aws-cognito';
import { Construct } from 'constructs';
import { roles, type Role } from '#shared/topology';
import { pascalCase } from '../naming.ts';

/**
 * Who the operators are: a Cognito user pool with one group per topology role and an app client for the
 * operator tools. Handlers read the roles from the `cognito:groups` claim of the JWT.
 *
 * Operators move money, so sign-in is strict: no self sign-up, MFA (TOTP) required, a strong password policy,
 * and threat protection (Plus feature plan) blocking risky sign-ins.
 */
export class Identity extends Construct {
  readonly userPool: UserPool;
  readonly client: UserPoolClient;
  readonly groups: Readonly<Record<Role, UserPoolGroup>>;

  constructor(scope: Construct, id: string) {
    super(scope, id);
    this.userPool = new UserPool(this, 'OperatorPool', {
      selfSignUpEnabled: false,
      signInAliases: { email: true },
      autoVerify: { email: true },
      mfa: Mfa.REQUIRED,
      mfaSecondFactor: { otp: true, sms: false },
      passwordPolicy: {
        minLength: 12,
        requireLowercase: true,
        requireUppercase: true,
        requireDigits: true,
        requireSymbols: true,
        tempPasswordValidity: Duration.days(3),
      },
      accountRecovery: AccountRecovery.EMAIL_ONLY,
      featurePlan: FeaturePlan.PLUS,
      standardThreatProtectionMode: StandardThreatProtectionMode.FULL_FUNCTION,
      deletionProtection: true,
      removalPolicy: RemovalPolicy.RETAIN,
    });

    this.groups = Object.fromEntries(
      roles.map((role, precedence) => [
        role,
        // Lower precedence wins in Cognito; the most privileged role is listed last in the topology.
        this.userPool.addGroup(`${pascalCase(role)}Group`, {
          groupName: role,
          description: `O2C operator role ${role}`,
          precedence: roles.length - precedence,
        }),
      ]),
    ) as Record<Role, UserPoolGroup>;

    this.client = this.userPool.addClient('OperatorClient', {
      // Operator tools sign in with SRP and send the access token as the Bearer token.
      authFlows: { userSrp: true },
      disableOAuth: true,
      generateSecret: false,
      preventUserExistenceErrors: true,
      accessTokenValidity: Duration.hours(1),
      idTokenValidity: Duration.hours(1),
      refreshTokenValidity: Duration.hours(12),
      enableTokenRevocation: true,
    });
  }
}
