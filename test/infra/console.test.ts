import { mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { App, Stack } from 'aws-cdk-lib';
import { Bucket } from 'aws-cdk-lib/aws-s3';
import { beforeAll, describe, expect, it } from 'vitest';
import { API_CORS } from '../../infra/constructs/api.ts';
import { CONSOLE_PATH, OperatorConsole, SPA_ROUTER_CODE } from '../../infra/constructs/console.ts';
import { CONSOLE_SCOPES } from '../../infra/constructs/identity.ts';
import { referencedLogicalIds, SYNTH_TIMEOUT_MS, synthesizeStack, type SynthesizedStack } from './synthesized-stack.ts';

type Resource = { Type: string; Properties: Record<string, unknown>; DependsOn?: string[] };

/** A built console as Vite writes it: the page, hashed assets, and a file from `public/`. */
function stubConsoleBuild(): string {
  const dir = mkdtempSync(join(tmpdir(), 'o2c-console-dist-'));
  mkdirSync(join(dir, 'assets'));
  writeFileSync(
    join(dir, 'index.html'),
    '<!doctype html>\n<html lang="en">\n  <head>\n    <meta charset="UTF-8" />\n    <script type="module" crossorigin src="/console/assets/index-Bx1.js"></script>\n  </head>\n  <body><div id="app"></div></body>\n</html>\n',
  );
  writeFileSync(join(dir, 'assets', 'index-Bx1.js'), 'console.log("o2c");\n');
  writeFileSync(join(dir, 'favicon.svg'), '<svg xmlns="http://www.w3.org/2000/svg"/>\n');
  return dir;
}

let synthesized: SynthesizedStack;
beforeAll(() => {
  synthesized = synthesizeStack({ consoleAssetDir: stubConsoleBuild() });
}, SYNTH_TIMEOUT_MS);

const resources = () => synthesized.template.toJSON().Resources as Record<string, Resource>;
const resource = (logicalId: string) => resources()[logicalId]!;
const consoleBucketId = () => synthesized.logicalId(synthesized.stack.operatorConsole.bucket);
const distributionId = () => synthesized.logicalId(synthesized.stack.operatorConsole.distribution);
const distributionConfig = () => resource(distributionId()).Properties.DistributionConfig as Record<string, unknown>;
const distributionDomain = () => ({ 'Fn::GetAtt': [distributionId(), 'DomainName'] });
const consoleUrl = () => ({ 'Fn::Join': ['', ['https://', distributionDomain(), CONSOLE_PATH]] });
const consoleOrigin = () => ({ 'Fn::Join': ['', ['https://', distributionDomain()]] });
const securityHeaders = () =>
  (resource(synthesized.logicalId(synthesized.stack.operatorConsole.responseHeadersPolicy)).Properties.ResponseHeadersPolicyConfig as {
    SecurityHeadersConfig: Record<string, Record<string, unknown>>;
  }).SecurityHeadersConfig;
/** The CSP as one string, with the CloudFormation tokens in it shown as JSON. */
const cspText = () => {
  const csp = securityHeaders().ContentSecurityPolicy!.ContentSecurityPolicy as { 'Fn::Join': [string, unknown[]] };
  return csp['Fn::Join'][1].map((part) => (typeof part === 'string' ? part : JSON.stringify(part))).join('');
};

interface DeployedSource {
  /** The files of one source, as staged in the cloud assembly, with `<<marker:…>>` placeholders. */
  readonly files: Record<string, string>;
  /** What each placeholder stands for at deploy time (a CloudFormation value). */
  readonly markers: Record<string, unknown>;
}

/** A console deployment's custom resource properties and its sources' files. */
function deployment(index: number): { properties: Record<string, unknown>; sources: DeployedSource[] } {
  const built = synthesized.stack.operatorConsole.deployments[index]!;
  const properties = resource(synthesized.logicalId(built.node.findChild('CustomResource'))).Properties;
  const markers = (properties.SourceMarkers as Record<string, unknown>[] | undefined) ?? [];
  const sources = (properties.SourceObjectKeys as string[]).map((key, at) => {
    const staged = join(synthesized.outdir, `asset.${key.replace(/\.zip$/, '')}`);
    const files = Object.fromEntries(readdirSync(staged).map((name) => [name, readFileSync(join(staged, name), 'utf8')]));
    return { files, markers: markers[at] ?? {} };
  });
  return { properties, sources };
}

/** One file of a deployment, its placeholders replaced by the CloudFormation values they stand for (as JSON). */
function deployedFile(index: number, name: string): string {
  const holding = deployment(index).sources.filter((source) => name in source.files);
  expect(holding, name).toHaveLength(1);
  const source = holding[0]!;
  return source.files[name]!.replace(/<<marker:0xbaba:\d+>>/g, (marker) => JSON.stringify(source.markers[marker]));
}

const apiEndpoint = () => JSON.stringify({ 'Fn::GetAtt': [synthesized.logicalId(synthesized.stack.api.httpApi), 'ApiEndpoint'] });

describe('given the console bucket', () => {
  it('then it blocks all public access, is encrypted with S3-managed keys and is no website', () => {
    const bucket = resource(consoleBucketId()).Properties;
    expect(bucket.PublicAccessBlockConfiguration).toEqual({ BlockPublicAcls: true, BlockPublicPolicy: true, IgnorePublicAcls: true, RestrictPublicBuckets: true });
    expect(bucket.BucketEncryption).toEqual({ ServerSideEncryptionConfiguration: [{ ServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' } }] });
    expect(bucket.WebsiteConfiguration).toBeUndefined();
  });

  it('then its policy allows only this distribution, through origin access control, to read objects, and denies non-TLS access', () => {
    const policies = Object.values(resources()).filter(
      (candidate) => candidate.Type === 'AWS::S3::BucketPolicy' && JSON.stringify(candidate.Properties.Bucket) === JSON.stringify({ Ref: consoleBucketId() }),
    );
    expect(policies).toHaveLength(1);
    const statements = (policies[0]!.Properties.PolicyDocument as { Statement: Record<string, unknown>[] }).Statement;
    const allows = statements.filter((statement) => statement.Effect === 'Allow');
    expect(allows).toEqual([
      expect.objectContaining({
        Action: 's3:GetObject',
        Principal: { Service: 'cloudfront.amazonaws.com' },
        Condition: {
          StringEquals: {
            'AWS:SourceArn': {
              'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':cloudfront::', { Ref: 'AWS::AccountId' }, ':distribution/', { Ref: distributionId() }]],
            },
          },
        },
      }),
    ]);
    expect(statements).toContainEqual(expect.objectContaining({ Effect: 'Deny', Action: 's3:*', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }));
  });

  it('then its server access logs go to the access-logs bucket', () => {
    expect(resource(consoleBucketId()).Properties.LoggingConfiguration).toEqual({
      DestinationBucketName: { Ref: synthesized.logicalId(synthesized.stack.storage.accessLogsBucket) },
      LogFilePrefix: 'ConsoleBucket/',
    });
  });
});

describe('given the console distribution', () => {
  it('then its only origin is the console bucket, signed by an origin access control (no OAI, no website endpoint)', () => {
    const origins = distributionConfig().Origins as Record<string, unknown>[];
    expect(origins).toHaveLength(1);
    expect(origins[0]).toMatchObject({
      DomainName: { 'Fn::GetAtt': [consoleBucketId(), 'RegionalDomainName'] },
      OriginAccessControlId: { 'Fn::GetAtt': [expect.any(String), 'Id'] },
      S3OriginConfig: { OriginAccessIdentity: '' },
    });
    const oacId = (origins[0]!.OriginAccessControlId as { 'Fn::GetAtt': [string, string] })['Fn::GetAtt'][0];
    expect(resource(oacId).Properties.OriginAccessControlConfig).toMatchObject({ OriginAccessControlOriginType: 's3', SigningBehavior: 'always', SigningProtocol: 'sigv4' });
  });

  it('then it redirects HTTP to HTTPS, serves GET and HEAD only, and attaches the security headers policy and the SPA router', () => {
    expect(distributionConfig().DefaultCacheBehavior).toMatchObject({
      ViewerProtocolPolicy: 'redirect-to-https',
      AllowedMethods: ['GET', 'HEAD'],
      ResponseHeadersPolicyId: { Ref: synthesized.logicalId(synthesized.stack.operatorConsole.responseHeadersPolicy) },
      FunctionAssociations: [{ EventType: 'viewer-request', FunctionARN: { 'Fn::GetAtt': [expect.any(String), 'FunctionARN'] } }],
    });
  });

  it('then it speaks HTTP/2 and HTTP/3, uses price class 100 and index.html as the root object', () => {
    expect(distributionConfig()).toMatchObject({ HttpVersion: 'http2and3', PriceClass: 'PriceClass_100', DefaultRootObject: 'index.html', Enabled: true });
  });

  it('then its standard logs go to a bucket of their own that keeps them a year and logs its own access', () => {
    const logsBucketId = synthesized.logicalId(synthesized.stack.operatorConsole.logsBucket);
    expect(distributionConfig().Logging).toEqual({ Bucket: { 'Fn::GetAtt': [logsBucketId, 'RegionalDomainName'] }, Prefix: 'console/' });
    expect(resource(logsBucketId).Properties).toMatchObject({
      OwnershipControls: { Rules: [{ ObjectOwnership: 'BucketOwnerPreferred' }] },
      LifecycleConfiguration: { Rules: [expect.objectContaining({ ExpirationInDays: 365 })] },
      LoggingConfiguration: { DestinationBucketName: { Ref: synthesized.logicalId(synthesized.stack.storage.accessLogsBucket) } },
    });
  });

  it('then it uses the default cloudfront.net certificate when no custom domain is configured', () => {
    expect(distributionConfig().Aliases).toBeUndefined();
    expect(distributionConfig().ViewerCertificate).toBeUndefined();
  });

  it('then its CloudFront names, unique per account, carry the region, so stacks of one name in two regions do not clash', () => {
    const policy = resource(synthesized.logicalId(synthesized.stack.operatorConsole.responseHeadersPolicy)).Properties.ResponseHeadersPolicyConfig as { Name: unknown };
    const oacId = ((distributionConfig().Origins as Record<string, unknown>[])[0]!.OriginAccessControlId as { 'Fn::GetAtt': [string, string] })['Fn::GetAtt'][0];
    const oac = resource(oacId).Properties.OriginAccessControlConfig as { Name: unknown };
    expect(policy.Name).toEqual({ 'Fn::Join': ['', ['O2cStack-console-security-headers-', { Ref: 'AWS::Region' }]] });
    expect(oac.Name).toEqual({ 'Fn::Join': ['', ['O2cStack-console-', { Ref: 'AWS::Region' }]] });
  });

  it('then its console URL is a stack output', () => {
    synthesized.template.hasOutput('ConsoleUrl', { Value: consoleUrl() });
  });
});

describe('given the security headers policy', () => {
  it('then it sends HSTS for two years with subdomains, nosniff, DENY framing and a strict referrer policy, overriding the origin', () => {
    expect(securityHeaders()).toMatchObject({
      StrictTransportSecurity: { AccessControlMaxAgeSec: 63_072_000, IncludeSubdomains: true, Override: true },
      ContentTypeOptions: { Override: true },
      FrameOptions: { FrameOption: 'DENY', Override: true },
      ReferrerPolicy: { ReferrerPolicy: 'strict-origin-when-cross-origin', Override: true },
      ContentSecurityPolicy: { Override: true },
    });
  });

  it("then its CSP allows scripts and style sheets from the console's origin only, inline style attributes, and no framing", () => {
    const directives = Object.fromEntries(
      cspText()
        .split(';')
        .map((directive) => directive.trim().split(/\s+/))
        .map(([name, ...values]) => [name, values]),
    );
    expect(directives['default-src']).toEqual(["'self'"]);
    expect(directives['script-src']).toEqual(["'self'"]);
    expect(directives['style-src']).toEqual(["'self'"]);
    expect(directives['style-src-attr']).toEqual(["'unsafe-inline'"]);
    expect(directives['object-src']).toEqual(["'none'"]);
    expect(directives['frame-ancestors']).toEqual(["'none'"]);
    expect(directives['base-uri']).toEqual(["'self'"]);
  });

  it("then its CSP lets fetch reach only the console, the region's API Gateway hosts and the Cognito domain", () => {
    const connect = /connect-src ([^;]*)/.exec(cspText())![1]!;
    const domainId = synthesized.logicalId(synthesized.stack.identity.domain);
    expect(connect).toBe(
      `'self' https://*.execute-api.${JSON.stringify({ Ref: 'AWS::Region' })}.${JSON.stringify({ Ref: 'AWS::URLSuffix' })} https://${JSON.stringify({ Ref: domainId })}.auth.${JSON.stringify({ Ref: 'AWS::Region' })}.amazoncognito.com`,
    );
  });
});

describe('given the SPA router function', () => {
  const handler = new Function(`${SPA_ROUTER_CODE}; return handler;`)() as (event: { request: { uri: string } }) => { uri?: string; statusCode?: number; headers?: Record<string, { value: string }> };
  const route = (uri: string) => handler({ request: { uri } });

  it.each(['/', '/console'])('when %s is requested, then it redirects to the console', (uri) => {
    expect(route(uri)).toEqual({ statusCode: 302, statusDescription: 'Found', headers: { location: { value: CONSOLE_PATH } } });
  });

  it.each(['/console/', '/console/orders/01J9ZK3Q8V', '/console/customers/C-42/statement'])('when the client-side route %s is requested, then index.html answers', (uri) => {
    expect(route(uri).uri).toBe('/console/index.html');
  });

  it.each(['/console/assets/index-Bx1.js', '/console/config.json', '/console/favicon.svg', '/robots.txt'])('when the file %s is requested, then it is fetched as is', (uri) => {
    expect(route(uri).uri).toBe(uri);
  });
});

describe('given the console app client', () => {
  const client = () => resource(synthesized.logicalId(synthesized.stack.consoleClient)).Properties;

  it('then it is public and allows only the authorization code grant, through the hosted pages', () => {
    expect(client()).toMatchObject({
      GenerateSecret: false,
      AllowedOAuthFlowsUserPoolClient: true,
      AllowedOAuthFlows: ['code'],
      AllowedOAuthScopes: [...CONSOLE_SCOPES],
      SupportedIdentityProviders: ['COGNITO'],
      ExplicitAuthFlows: ['ALLOW_REFRESH_TOKEN_AUTH'],
      PreventUserExistenceErrors: 'ENABLED',
      EnableTokenRevocation: true,
    });
  });

  it('then its only callback and sign-out URL is the console on the distribution', () => {
    expect(client().CallbackURLs).toEqual([consoleUrl()]);
    expect(client().LogoutURLs).toEqual([consoleUrl()]);
  });

  it('then its tokens last an hour and its sessions a working day', () => {
    expect(client()).toMatchObject({ AccessTokenValidity: 60, IdTokenValidity: 60, RefreshTokenValidity: 480, TokenValidityUnits: { AccessToken: 'minutes', IdToken: 'minutes', RefreshToken: 'minutes' } });
  });

  it('then the pool has a Cognito domain for the hosted pages, named after the stack without the account id', () => {
    const domain = resource(synthesized.logicalId(synthesized.stack.identity.domain)).Properties;
    expect(domain.UserPoolId).toEqual({ Ref: synthesized.logicalId(synthesized.stack.identity.userPool) });
    expect(domain.ManagedLoginVersion).toBe(1);
    expect(JSON.stringify(domain.Domain)).toContain('"o2cstack-"');
    expect(JSON.stringify(domain.Domain)).toContain('AWS::StackId');
    expect(JSON.stringify(domain.Domain)).not.toContain('AWS::AccountId');
  });
});

describe('given the HTTP API', () => {
  const cors = () => (Object.values(resources()).find((candidate) => candidate.Type === 'AWS::ApiGatewayV2::Api')!.Properties.CorsConfiguration as Record<string, unknown>);

  it("then CORS allows only the console's origin, without credentials", () => {
    expect(cors()).toMatchObject({ AllowOrigins: [consoleOrigin()], AllowCredentials: false });
  });

  it('then CORS allows the methods and headers the console sends and exposes content-disposition', () => {
    expect(cors()).toEqual({
      AllowOrigins: [consoleOrigin()],
      AllowCredentials: false,
      AllowMethods: ['GET', 'POST', 'PUT'],
      AllowHeaders: ['authorization', 'content-type'],
      ExposeHeaders: ['content-disposition'],
      MaxAge: API_CORS.maxAgeSeconds,
    });
  });
});

describe('given the console deployments', () => {
  it('then the hashed assets go under console/assets/ cached for a year, immutable', () => {
    const { properties, sources } = deployment(0);
    expect(properties).toMatchObject({
      DestinationBucketName: { Ref: consoleBucketId() },
      DestinationBucketKeyPrefix: 'console/assets/',
      Prune: false,
      SystemMetadata: { 'cache-control': 'public, max-age=31536000, immutable' },
    });
    expect(sources.flatMap((source) => Object.keys(source.files))).toEqual(['index-Bx1.js']);
  });

  it('then index.html, config.json and the other top-level files go under console/, revalidated on every load, after the assets', () => {
    const { properties, sources } = deployment(1);
    expect(properties).toMatchObject({
      DestinationBucketName: { Ref: consoleBucketId() },
      DestinationBucketKeyPrefix: 'console/',
      Prune: false,
      SystemMetadata: { 'cache-control': 'no-cache' },
    });
    expect(sources.flatMap((source) => Object.keys(source.files)).sort()).toEqual(['config.json', 'favicon.svg', 'index.html']);
    const [assets, pages] = synthesized.stack.operatorConsole.deployments;
    expect(pages!.node.dependencies).toContain(assets);
  });

  it('then config.json names the API, the Cognito domain, the console app client, the callback URL and the scopes', () => {
    const config = deployedFile(1, 'config.json');
    const domain = JSON.stringify({ Ref: synthesized.logicalId(synthesized.stack.identity.domain) });
    const region = JSON.stringify({ Ref: 'AWS::Region' });
    const url = `https://${JSON.stringify(distributionDomain())}/console/`;
    // The resolved values are CloudFormation objects inside JSON strings: compare the text.
    expect(config).toBe(
      JSON.stringify({
        apiUrl: '@api',
        auth: { kind: 'cognito', domain: '@domain', clientId: '@client', redirectUri: '@url', logoutUri: '@url', scopes: [...CONSOLE_SCOPES] },
      })
        .replace('@api', apiEndpoint())
        .replace('@domain', `https://${domain}.auth.${region}.amazoncognito.com`)
        .replace('@client', JSON.stringify({ Ref: synthesized.logicalId(synthesized.stack.consoleClient) }))
        .replaceAll('@url', url),
    );
  });

  it('then index.html carries a meta CSP naming exactly this API and the Cognito domain, before any script', () => {
    const page = deployedFile(1, 'index.html');
    const domain = JSON.stringify({ Ref: synthesized.logicalId(synthesized.stack.identity.domain) });
    const meta = `<meta http-equiv="Content-Security-Policy" content="connect-src 'self' ${apiEndpoint()} https://${domain}.auth.${JSON.stringify({ Ref: 'AWS::Region' })}.amazoncognito.com">`;
    expect(page).toContain(`<head>${meta}`);
    expect(page.indexOf(meta)).toBeLessThan(page.indexOf('<script'));
  });
});

describe('given the stack with the console', () => {
  it('then no resource depends on itself through others (the console, the sign-in client and the API name each other)', () => {
    const all = resources();
    const edges = new Map(Object.entries(all).map(([id, found]) => [id, new Set([...referencedLogicalIds(found.Properties), ...(found.DependsOn ?? [])].filter((to) => to in all))]));
    const state = new Map<string, 'visiting' | 'done'>();
    const cycleFrom = (id: string, path: string[]): string[] | undefined => {
      if (state.get(id) === 'done') return undefined;
      if (state.get(id) === 'visiting') return [...path, id];
      state.set(id, 'visiting');
      for (const to of edges.get(id) ?? []) {
        const cycle = cycleFrom(to, [...path, id]);
        if (cycle) return cycle;
      }
      state.set(id, 'done');
      return undefined;
    };
    for (const id of edges.keys()) expect(cycleFrom(id, [])).toBeUndefined();
  });
});

describe('given a console that was not built', () => {
  it('when its directory is missing, then the synth fails telling to build the console', () => {
    const stack = new Stack(new App(), 'Scratch');
    expect(
      () =>
        new OperatorConsole(stack, 'Console', {
          assetDir: join(tmpdir(), 'o2c-no-such-console-dist'),
          accessLogsBucket: new Bucket(stack, 'Logs'),
          authDomainUrl: 'https://example.auth.eu-west-1.amazoncognito.com',
        }),
    ).toThrow(/console is not built.*console's build/s);
  });
});

describe('given a custom console domain in context', () => {
  let custom: SynthesizedStack;
  beforeAll(() => {
    custom = synthesizeStack({
      consoleAssetDir: stubConsoleBuild(),
      context: { 'o2c:consoleDomain': JSON.stringify({ domainName: 'console.example.com', certificateArn: 'arn:aws:acm:us-east-1:111111111111:certificate/abc' }) },
    });
  }, SYNTH_TIMEOUT_MS);

  it('then the distribution answers on it with the certificate and TLS 1.2 at least', () => {
    const config = (Object.values(custom.template.findResources('AWS::CloudFront::Distribution'))[0]!.Properties as { DistributionConfig: Record<string, unknown> }).DistributionConfig;
    expect(config.Aliases).toEqual(['console.example.com']);
    expect(config.ViewerCertificate).toMatchObject({
      AcmCertificateArn: 'arn:aws:acm:us-east-1:111111111111:certificate/abc',
      MinimumProtocolVersion: 'TLSv1.2_2021',
      SslSupportMethod: 'sni-only',
    });
  });

  it('then the sign-in callback and the API CORS origin use it', () => {
    custom.template.hasResourceProperties('AWS::Cognito::UserPoolClient', { CallbackURLs: ['https://console.example.com/console/'] });
    custom.template.hasResourceProperties('AWS::ApiGatewayV2::Api', { CorsConfiguration: { AllowOrigins: ['https://console.example.com'] } });
  });
});
