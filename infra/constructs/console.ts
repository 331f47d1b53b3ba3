import { existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DefaultStackSynthesizer, Duration, RemovalPolicy, Stack, Validations } from 'aws-cdk-lib';
import { Certificate } from 'aws-cdk-lib/aws-certificatemanager';
import {
  AllowedMethods,
  CachePolicy,
  Distribution,
  Function as CloudFrontFunction,
  FunctionCode,
  FunctionEventType,
  FunctionRuntime,
  HeadersFrameOption,
  HeadersReferrerPolicy,
  HttpVersion,
  PriceClass,
  ResponseHeadersPolicy,
  S3OriginAccessControl,
  SecurityPolicyProtocol,
  ViewerProtocolPolicy,
} from 'aws-cdk-lib/aws-cloudfront';
import { S3BucketOrigin } from 'aws-cdk-lib/aws-cloudfront-origins';
import { LogGroup, RetentionDays } from 'aws-cdk-lib/aws-logs';
import { BlockPublicAccess, Bucket, BucketEncryption, ObjectOwnership, type CfnBucket, type IBucket } from 'aws-cdk-lib/aws-s3';
import { BucketDeployment, CacheControl, Source, type ISource } from 'aws-cdk-lib/aws-s3-deployment';
import { Construct, type IConstruct } from 'constructs';
import { repoRoot } from '#shared/state-machine-definitions';

/** Where the console is served on the distribution: the same base path the Vite build and the local runtime use. */
export const CONSOLE_PATH = '/console/';

/** The built console under the repository root, where the console's Vite build writes it. */
export const DEFAULT_CONSOLE_DIST = join(repoRoot, 'console', 'dist');

/** Vite's `build.assetsDir`: content-hashed files, cached for a year. */
const HASHED_ASSETS_DIR = 'assets';

/**
 * The construct id CDK gives the singleton Lambda behind every `Custom::CDKBucketDeployment` of a stack
 * (`aws-s3-deployment`). `findChild` fails the synth loudly if CDK ever renames it.
 */
const DEPLOYMENT_HANDLER_ID = 'Custom::CDKBucketDeployment8693BB64968944B69AAFB0CC9EB8756C';

/** The context key that changes the CDK bootstrap qualifier, and with it the assets bucket's name. */
const BOOTSTRAP_QUALIFIER_CONTEXT = '@aws-cdk/core:bootstrapQualifier';

/** How long CloudFront access logs are kept, like the S3 server access logs. */
const LOG_RETENTION_DAYS = 365;

/**
 * The page's Content-Security-Policy. Scripts, styles, fonts and images come only from the console's own origin
 * (Vite emits no inline script in a production build); `style-src-attr 'unsafe-inline'` lets ECharts' SVG
 * renderer set `style` attributes, while `<style>` elements and inline scripts stay blocked. `connect-src` names
 * where `fetch` may go: the console itself (`config.json`), the API and the Cognito domain (token endpoint).
 */
export function contentSecurityPolicy(connectSources: readonly string[]): string {
  return [
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self'",
    "style-src-attr 'unsafe-inline'",
    "img-src 'self' data:",
    "font-src 'self'",
    `connect-src 'self' ${connectSources.join(' ')}`,
    "object-src 'none'",
    "base-uri 'self'",
    "form-action 'self'",
    "frame-ancestors 'none'",
  ].join('; ');
}

/**
 * Rewrites viewer requests for the single-page app: `/` and `/console` redirect to `/console/`, and any path
 * under it whose last segment has no file extension (a client-side route, or the folder itself) is answered with
 * `/console/index.html`. Files keep their own path, so a missing asset is an error, not the app page.
 */
export const SPA_ROUTER_CODE = `function handler(event) {
  var request = event.request;
  var uri = request.uri;
  if (uri === '/' || uri === '${CONSOLE_PATH.slice(0, -1)}') {
    return { statusCode: 302, statusDescription: 'Found', headers: { location: { value: '${CONSOLE_PATH}' } } };
  }
  if (uri.indexOf('${CONSOLE_PATH}') === 0 && uri.slice(uri.lastIndexOf('/') + 1).indexOf('.') === -1) {
    request.uri = '${CONSOLE_PATH}index.html';
  }
  return request;
}`;

/** A custom domain for the console, instead of the distribution's `*.cloudfront.net` name. */
export interface ConsoleDomain {
  readonly domainName: string;
  /** An ACM certificate for `domainName` in us-east-1 (CloudFront reads certificates only there). */
  readonly certificateArn: string;
}

export interface OperatorConsoleProps {
  /**
   * The built console (`index.html` and the hashed `assets/`), deployed under {@link CONSOLE_PATH}.
   * @default `console/dist` under the repository root; when it is missing, synth fails telling to build the
   *   console, unless bundling is skipped for this stack (infra tests, `cdk ls`, `cdk destroy`), where a
   *   placeholder page stands in, as CDK does for the functions' skipped esbuild bundles
   */
  readonly assetDir?: string;
  /** The bucket that receives S3 server access logs; the console's buckets log there under their own prefix. */
  readonly accessLogsBucket: IBucket;
  /** The Cognito domain's base URL (`https://<prefix>.auth.<region>.amazoncognito.com`): the SPA fetches its token endpoint. */
  readonly authDomainUrl: string;
  /**
   * Serve the console on a custom domain with TLS 1.2+ (the default `*.cloudfront.net` certificate allows TLS 1.0).
   * You add the DNS record (an alias or CNAME to the distribution's domain name) yourself.
   * @default the distribution's own domain name
   */
  readonly domain?: ConsoleDomain;
}

/** What the SPA reads from `config.json` at start: the API and how to sign in. */
export interface ConsoleConfig {
  readonly apiUrl: string;
  readonly auth: {
    readonly kind: 'cognito';
    /** Base URL of the Cognito domain: `/oauth2/authorize`, `/oauth2/token`, `/oauth2/revoke`, `/logout` hang off it. */
    readonly domain: string;
    readonly clientId: string;
    readonly redirectUri: string;
    readonly logoutUri: string;
    readonly scopes: readonly string[];
  };
}

/**
 * The operator console on AWS: the built single-page app in a private S3 bucket, served by CloudFront through
 * origin access control under {@link CONSOLE_PATH}, with security headers on every answer.
 *
 * Built in two steps because the console and the API refer to each other: the distribution comes first (its
 * URL is the Cognito callback and the API's only CORS origin), then {@link OperatorConsole.publish} deploys the
 * files with a `config.json` naming the API and the app client. The API's origin is only known once the API exists,
 * so the header CSP allows the region's `execute-api` hosts and `index.html` carries a `<meta>` CSP naming the API
 * exactly; a browser enforces both, so `fetch` reaches only this API.
 */
export class OperatorConsole extends Construct {
  readonly bucket: Bucket;
  /** Receives CloudFront's standard access logs (ACL-based delivery, which the other buckets do not enable). */
  readonly logsBucket: Bucket;
  readonly distribution: Distribution;
  readonly responseHeadersPolicy: ResponseHeadersPolicy;
  /** `https://<domain>`: the only origin the API allows. */
  readonly origin: string;
  /** `https://<domain>/console/`: where operators go, the OAuth callback and the sign-out landing page. */
  readonly url: string;
  private readonly published: BucketDeployment[] = [];
  private handler?: IConstruct;
  private readonly assetDir: string;
  private readonly authDomainUrl: string;

  constructor(scope: Construct, id: string, props: OperatorConsoleProps) {
    super(scope, id);
    this.assetDir = OperatorConsole.resolveAssetDir(this, props.assetDir);
    this.authDomainUrl = props.authDomainUrl;

    this.bucket = new Bucket(this, 'Bucket', {
      blockPublicAccess: BlockPublicAccess.BLOCK_ALL,
      enforceSSL: true,
      minimumTLSVersion: 1.2,
      encryption: BucketEncryption.S3_MANAGED,
      objectOwnership: ObjectOwnership.BUCKET_OWNER_ENFORCED,
      serverAccessLogsBucket: props.accessLogsBucket,
      serverAccessLogsPrefix: 'ConsoleBucket/',
      // Build output only, but like every bucket of the stack it outlives `cdk destroy`.
      removalPolicy: RemovalPolicy.RETAIN,
    });

    this.logsBucket = new Bucket(this, 'CdnLogsBucket', {
      blockPublicAccess: BlockPublicAccess.BLOCK_ALL,
      enforceSSL: true,
      minimumTLSVersion: 1.2,
      encryption: BucketEncryption.S3_MANAGED,
      // CloudFront standard logging writes with an ACL (the awslogsdelivery account), so ACLs must stay enabled.
      objectOwnership: ObjectOwnership.BUCKET_OWNER_PREFERRED,
      serverAccessLogsBucket: props.accessLogsBucket,
      serverAccessLogsPrefix: 'ConsoleCdnLogsBucket/',
      lifecycleRules: [{ id: 'ExpireAccessLogs', expiration: Duration.days(LOG_RETENTION_DAYS) }],
      removalPolicy: RemovalPolicy.RETAIN,
    });

    const { region, urlSuffix, stackName } = Stack.of(this);
    // CloudFront names are unique per account, not per region: the region keeps two regions' stacks apart.
    const accountWideName = (kind: string, maxLength: number) => `${stackName.slice(0, maxLength - kind.length - 17)}-${kind}-${region}`;
    this.responseHeadersPolicy = new ResponseHeadersPolicy(this, 'SecurityHeaders', {
      responseHeadersPolicyName: accountWideName('console-security-headers', 128),
      comment: 'O2C console: HSTS, CSP, no framing, no sniffing, only the origin as referrer off-site',
      securityHeadersBehavior: {
        // Two years, subdomains included: the console is never served over plain HTTP.
        strictTransportSecurity: { accessControlMaxAge: Duration.days(730), includeSubdomains: true, override: true },
        contentTypeOptions: { override: true },
        frameOptions: { frameOption: HeadersFrameOption.DENY, override: true },
        referrerPolicy: { referrerPolicy: HeadersReferrerPolicy.STRICT_ORIGIN_WHEN_CROSS_ORIGIN, override: true },
        contentSecurityPolicy: {
          contentSecurityPolicy: contentSecurityPolicy([`https://*.execute-api.${region}.${urlSuffix}`, props.authDomainUrl]),
          override: true,
        },
      },
      customHeadersBehavior: {
        customHeaders: [
          { header: 'Cross-Origin-Opener-Policy', value: 'same-origin', override: true },
          { header: 'Permissions-Policy', value: 'camera=(), microphone=(), geolocation=(), payment=(), usb=()', override: true },
        ],
      },
    });

    const router = new CloudFrontFunction(this, 'SpaRouter', {
      comment: 'O2C console: / to /console/, client-side routes to /console/index.html',
      code: FunctionCode.fromInline(SPA_ROUTER_CODE),
      runtime: FunctionRuntime.JS_2_0,
    });

    this.distribution = new Distribution(this, 'Distribution', {
      comment: 'O2C operator console',
      defaultBehavior: {
        origin: S3BucketOrigin.withOriginAccessControl(this.bucket, {
          originAccessControl: new S3OriginAccessControl(this, 'OriginAccessControl', {
            originAccessControlName: accountWideName('console', 64),
            description: 'O2C console: CloudFront signs its requests to the console bucket',
          }),
        }),
        viewerProtocolPolicy: ViewerProtocolPolicy.REDIRECT_TO_HTTPS,
        allowedMethods: AllowedMethods.ALLOW_GET_HEAD,
        cachePolicy: CachePolicy.CACHING_OPTIMIZED,
        compress: true,
        responseHeadersPolicy: this.responseHeadersPolicy,
        functionAssociations: [{ function: router, eventType: FunctionEventType.VIEWER_REQUEST }],
      },
      // Only reached without the router function; the app lives under CONSOLE_PATH.
      defaultRootObject: 'index.html',
      httpVersion: HttpVersion.HTTP2_AND_3,
      priceClass: PriceClass.PRICE_CLASS_100,
      enableLogging: true,
      logBucket: this.logsBucket,
      logFilePrefix: 'console/',
      ...(props.domain
        ? {
            domainNames: [props.domain.domainName],
            certificate: Certificate.fromCertificateArn(this, 'Certificate', props.domain.certificateArn),
            minimumProtocolVersion: SecurityPolicyProtocol.TLS_V1_2_2021,
          }
        : {}),
    });

    this.origin = `https://${props.domain?.domainName ?? this.distribution.distributionDomainName}`;
    this.url = `${this.origin}${CONSOLE_PATH}`;
    this.acknowledgeDistributionFindings(props.domain !== undefined);
  }

  /** The deployments of the console's files (hashed assets, then the pages), once {@link OperatorConsole.publish} has run. */
  get deployments(): readonly BucketDeployment[] {
    return this.published;
  }

  /** CDK's deploy-time file copier (its Lambda and role), once {@link OperatorConsole.publish} has run. */
  get deploymentHandler(): IConstruct | undefined {
    return this.handler;
  }

  /**
   * Deploys the console's files with its `config.json`: hashed assets cached for a year; `index.html`,
   * `config.json` and the other top-level files revalidated on every load, so a deploy shows at the next reload.
   * The page goes up after the assets it names. Old hashed assets are kept (no prune): a tab still open on the
   * previous page can load its lazy chunks.
   */
  publish(config: ConsoleConfig): void {
    if (this.published.length > 0) throw new Error('the console is published already');
    const logGroup = new LogGroup(this, 'DeploymentLogs', { retention: RetentionDays.ONE_MONTH, removalPolicy: RemovalPolicy.DESTROY });
    const common = {
      destinationBucket: this.bucket,
      prune: false,
      retainOnDelete: true,
      // The object keys are not needed, and a large build would overflow the custom resource's 4 KB answer.
      outputObjectKeys: false,
      logGroup,
    };

    const hashed = join(this.assetDir, HASHED_ASSETS_DIR);
    const assets = existsSync(hashed)
      ? new BucketDeployment(this, 'Assets', {
          ...common,
          sources: [Source.asset(hashed)],
          destinationKeyPrefix: `${CONSOLE_PATH.slice(1)}${HASHED_ASSETS_DIR}/`,
          cacheControl: [CacheControl.setPublic(), CacheControl.maxAge(Duration.days(365)), CacheControl.immutable()],
        })
      : undefined;

    const others = readdirSync(this.assetDir).filter((name) => ![HASHED_ASSETS_DIR, 'index.html', 'config.json'].includes(name));
    const sources: ISource[] = [
      ...(others.length > 0 ? [Source.asset(this.assetDir, { exclude: [HASHED_ASSETS_DIR, 'index.html', 'config.json'] })] : []),
      Source.data('index.html', this.pageWithExactCsp(config)),
      Source.jsonData('config.json', config),
    ];
    const pages = new BucketDeployment(this, 'Pages', {
      ...common,
      sources,
      destinationKeyPrefix: CONSOLE_PATH.slice(1),
      cacheControl: [CacheControl.noCache()],
    });
    if (assets) pages.node.addDependency(assets);
    this.published.push(...(assets ? [assets, pages] : [pages]));
    this.acknowledgeDeploymentFindings();
  }

  /**
   * The built `index.html` with a `<meta>` Content-Security-Policy right after `<head>`, before any script: it
   * narrows `connect-src` to this API and the Cognito domain (the header's policy still applies as well).
   */
  private pageWithExactCsp(config: ConsoleConfig): string {
    const html = readFileSync(join(this.assetDir, 'index.html'), 'utf8');
    const head = /<head(\s[^>]*)?>/i.exec(html);
    if (!head) throw new Error(`${join(this.assetDir, 'index.html')} has no <head>: cannot add the console's Content-Security-Policy`);
    const meta = `<meta http-equiv="Content-Security-Policy" content="connect-src 'self' ${config.apiUrl} ${this.authDomainUrl}">`;
    const at = head.index + head[0].length;
    return `${html.slice(0, at)}${meta}${html.slice(at)}`;
  }

  private static resolveAssetDir(scope: Construct, assetDir: string | undefined): string {
    const dir = assetDir ?? DEFAULT_CONSOLE_DIST;
    if (existsSync(join(dir, 'index.html'))) return dir;
    if (assetDir === undefined && !Stack.of(scope).bundlingRequired) return OperatorConsole.placeholderDir();
    throw new Error(
      `The operator console is not built: ${join(dir, 'index.html')} is missing. Run the console's build first (vite build writes console/dist), then synthesize or deploy again.`,
    );
  }

  /** A one-page stand-in for the console when bundling is skipped, like the placeholder code CDK deploys for skipped esbuild bundles. */
  private static placeholderDir(): string {
    const dir = mkdtempSync(join(tmpdir(), 'o2c-console-placeholder-'));
    writeFileSync(join(dir, 'index.html'), '<!doctype html><html><head><title>O2C console</title></head><body>The console was not built for this synth.</body></html>\n');
    return dir;
  }

  private acknowledgeDistributionFindings(customDomain: boolean): void {
    const distribution = Validations.of(this.distribution);
    distribution.acknowledge({
      id: 'AwsSolutions-CFR1',
      reason:
        'The console is a static page for operators who may travel; every API call it makes needs a Cognito token with TOTP MFA, and the API checks the role, so geo restriction would add little. Add geoRestriction to the distribution to limit the countries if your policy requires it.',
    });
    distribution.acknowledge({
      id: 'AwsSolutions-CFR2',
      reason:
        'The distribution serves only static, public build files (no data, no forms); the data sits behind the API, which requires a Cognito JWT and is throttled. A WAF web ACL (from ~$5/month plus rules) would protect nothing secret here; attach one with webAclId if your policy requires it.',
    });
    if (!customDomain) {
      distribution.acknowledge({
        id: 'AwsSolutions-CFR4',
        reason:
          'Without a custom domain CloudFront serves its *.cloudfront.net certificate, whose security policy (TLSv1) cannot be changed; browsers negotiate TLS 1.2 or 1.3 anyway. Set the o2c:consoleDomain context (a domain name and a us-east-1 ACM certificate) to serve the console with TLSv1.2_2021 as the minimum.',
      });
    }
  }

  /**
   * CDK's deploy-time file copier is one Lambda per stack that CDK builds (Python with the AWS CLI layer); its
   * findings are acknowledged one by one at its own role, policy and function, so any other function or role, and
   * any wildcard CDK might add to this one later, is still reported.
   */
  private acknowledgeDeploymentFindings(): void {
    const stack = Stack.of(this);
    const handler = stack.node.findChild(DEPLOYMENT_HANDLER_ID);
    this.handler = handler;
    const role = handler.node.findChild('ServiceRole');
    Validations.of(role).acknowledge({
      id: 'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole]',
      reason:
        "CDK's own BucketDeployment handler adds AWSLambdaBasicExecutionRole to its role itself (CloudWatch Logs only); it runs only while CloudFormation deploys the console's files.",
    });
    const qualifier = String(this.node.tryGetContext(BOOTSTRAP_QUALIFIER_CONTEXT) ?? DefaultStackSynthesizer.DEFAULT_QUALIFIER);
    const consoleBucket = stack.getLogicalId(this.bucket.node.defaultChild as CfnBucket);
    const wildcards = [
      'Action::s3:GetBucket*',
      'Action::s3:GetObject*',
      'Action::s3:List*',
      'Action::s3:Abort*',
      'Action::s3:DeleteObject*',
      `Resource::arn:<AWS::Partition>:s3:::cdk-${qualifier}-assets-<AWS::AccountId>-<AWS::Region>/*`,
      `Resource::<${consoleBucket}.Arn>/*`,
    ];
    for (const wildcard of wildcards) {
      Validations.of(role.node.findChild('DefaultPolicy')).acknowledge({
        id: `AwsSolutions-IAM5[${wildcard}]`,
        reason:
          "CDK's BucketDeployment handler copies the console's zipped build from the CDK assets bucket into the console bucket; CDK grants its role read on the assets and read/write on the console bucket's objects, with S3's wildcard action groups, and no other bucket.",
      });
    }
    const lambda = handler.node.findChild('Resource');
    const deployTimeOnly = "CDK's BucketDeployment handler runs only while CloudFormation deploys the console's files";
    Validations.of(lambda).acknowledge({
      id: 'AwsSolutions-L1',
      reason: `${deployTimeOnly}; CDK pins its Python runtime to the one its AWS CLI layer is built for, and updates both with aws-cdk-lib.`,
    });
    Validations.of(lambda).acknowledge({
      id: 'Serverless-LambdaLatestVersion',
      reason: `${deployTimeOnly}; CDK pins its Python runtime to the one its AWS CLI layer is built for, and updates both with aws-cdk-lib.`,
    });
    Validations.of(lambda).acknowledge({
      id: 'Serverless-LambdaDLQ',
      reason: `${deployTimeOnly}: a failure fails the stack update, which rolls back and shows the error in the stack events and the handler's log group; there is no event to replay later.`,
    });
    Validations.of(lambda).acknowledge({
      id: 'Serverless-LambdaTracing',
      reason: `${deployTimeOnly}, once per deploy, outside any request path; its log group (a month) records each copy.`,
    });
  }
}
