import { Aws, Duration, Fn, RemovalPolicy, Stack } from 'aws-cdk-lib';
import {
  AccountRecovery,
  FeaturePlan,
  ManagedLoginVersion,
  Mfa,
  OAuthScope,
  StandardThreatProtectionMode,
  UserPool,
  UserPoolClientIdentityProvider,
  type UserPoolClient,
  type UserPoolDomain,
  type UserPoolGroup,
} from 'aws-cdk-lib/aws-cognito';
import { Construct } from 'constructs';
import { roles, type Role } from '#shared/topology';
import { pascalCase } from '../naming.ts';

/** The OAuth scopes the console asks for; its access token carries them, and `cognito:groups` in any case. */
export const CONSOLE_SCOPES = ['openid', 'email', 'profile'] as const;

export interface IdentityProps {
  /**
   * The prefix of the Cognito domain that hosts the sign-in pages (`https://<prefix>.auth.<region>.amazoncognito.com`):
   * lowercase letters, digits and hyphens, unique in the region, without `aws`, `amazon` or `cognito`.
   * @default the stack name and the stack id's UUID, unique without revealing the account id
   */
  readonly domainPrefix?: string;
}

/**
 * Who the operators are: a Cognito user pool with one group per topology role, an app client for the
 * operator tools, and the hosted sign-in pages (a Cognito domain) for the operator console, whose public app client
 * ({@link Identity.addConsoleClient}) signs in with the authorization code grant and PKCE. Handlers read the roles
 * from the `cognito:groups` claim of the JWT.
 *
 * Operators move money, so sign-in is strict: no self sign-up, MFA (TOTP) required, a strong password policy,
 * and threat protection (Plus feature plan) blocking risky sign-ins. The hosted pages enforce the same pool
 * settings (they walk a new operator through the temporary password and the TOTP enrolment).
 */
export class Identity extends Construct {
  readonly userPool: UserPool;
  readonly client: UserPoolClient;
  readonly groups: Readonly<Record<Role, UserPoolGroup>>;
  /** The Cognito domain serving the sign-in pages and the OAuth 2.0 endpoints. */
  readonly domain: UserPoolDomain;
  private console?: UserPoolClient;

  constructor(scope: Construct, id: string, props: IdentityProps = {}) {
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

    this.domain = this.userPool.addDomain('SignInDomain', {
      cognitoDomain: { domainPrefix: props.domainPrefix ?? Identity.defaultDomainPrefix(this) },
      // The classic pages need no branding resource; managed login (v2) would need one per app client.
      managedLoginVersion: ManagedLoginVersion.CLASSIC_HOSTED_UI,
    });
  }

  /**
   * The operator console's app client: public (a browser cannot keep a secret), so the authorization code grant
   * with PKCE is its only flow (no implicit grant: tokens never travel in a URL), and it signs in only through the
   * hosted pages (no SRP or password API flows; refresh tokens renew the session). Call once, with the console's
   * URL, which is both the callback and the sign-out URL.
   */
  addConsoleClient(consoleUrl: string): UserPoolClient {
    if (this.console) throw new Error('the console app client exists already');
    this.console = this.userPool.addClient('ConsoleClient', {
      generateSecret: false,
      // All direct API flows off; CDK then allows only ALLOW_REFRESH_TOKEN_AUTH.
      authFlows: { userSrp: false, userPassword: false, custom: false, adminUserPassword: false },
      oAuth: {
        flows: { authorizationCodeGrant: true, implicitCodeGrant: false, clientCredentials: false },
        scopes: [OAuthScope.OPENID, OAuthScope.EMAIL, OAuthScope.PROFILE],
        callbackUrls: [consoleUrl],
        logoutUrls: [consoleUrl],
      },
      supportedIdentityProviders: [UserPoolClientIdentityProvider.COGNITO],
      preventUserExistenceErrors: true,
      accessTokenValidity: Duration.hours(1),
      idTokenValidity: Duration.hours(1),
      // A working day; then the operator signs in again (with TOTP).
      refreshTokenValidity: Duration.hours(8),
      enableTokenRevocation: true,
      // Room for a first sign-in: new password, then scanning the TOTP QR code.
      authSessionValidity: Duration.minutes(10),
    });
    return this.console;
  }

  /** The console's app client, once {@link Identity.addConsoleClient} has made it. */
  get consoleClient(): UserPoolClient | undefined {
    return this.console;
  }

  /**
   * `<stack name>-<UUID of the stack id>`: unique per stack and region (Cognito prefixes are global per region),
   * readable, and without the account id, which the sign-in URL would otherwise show to anyone.
   */
  private static defaultDomainPrefix(scope: Construct): string {
    const stackName = Stack.of(scope)
      .stackName.toLowerCase()
      .replace(/aws|amazon|cognito/g, '')
      .replace(/[^a-z0-9-]+/g, '-')
      .replace(/^-+|-+$/g, '')
      .slice(0, 20);
    const stackUuid = Fn.select(2, Fn.split('/', Aws.STACK_ID));
    return stackName ? `${stackName}-${stackUuid}` : stackUuid;
  }
}
