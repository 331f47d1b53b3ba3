import { Duration, RemovalPolicy, Stack, Validations } from 'aws-cdk-lib';
import { AccessLogFormat } from 'aws-cdk-lib/aws-apigateway';
import {
  CorsHttpMethod,
  HttpApi,
  HttpMethod,
  LogGroupLogDestination,
  PayloadFormatVersion,
  type HttpRoute,
  type HttpStage,
} from 'aws-cdk-lib/aws-apigatewayv2';
import { HttpJwtAuthorizer } from 'aws-cdk-lib/aws-apigatewayv2-authorizers';
import { HttpLambdaIntegration } from 'aws-cdk-lib/aws-apigatewayv2-integrations';
import type { UserPool, UserPoolClient } from 'aws-cdk-lib/aws-cognito';
import { LogGroup, RetentionDays } from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { routeKey, routes } from '#shared/topology';
import { pascalCase } from '../naming.ts';
import type { Functions } from './functions.ts';

/**
 * Default stage throttling: far above a store's webhook rate or an operator team's clicks, low enough that a
 * runaway client cannot run up the Lambda and DynamoDB bill.
 */
export const API_THROTTLE = { rateLimit: 50, burstLimit: 100 } as const;

/**
 * What a browser on an allowed origin (the operator console) may send: every method of the operator routes, the
 * Bearer token and a JSON body; `content-disposition` is readable so a CSV download keeps its file name. Webhooks
 * are not called from browsers, and `accept` is a CORS-safelisted header.
 */
export const API_CORS = {
  allowMethods: [...new Set(routes.filter((route) => route.auth.kind === 'jwt').map((route) => route.method))].sort(),
  allowHeaders: ['authorization', 'content-type'],
  exposeHeaders: ['content-disposition'],
  maxAgeSeconds: 3600,
} as const;

/** One JSON line per request, so Logs Insights can query access logs by field. */
const ACCESS_LOG_FIELDS = {
  requestId: '$context.requestId',
  requestTime: '$context.requestTime',
  sourceIp: '$context.identity.sourceIp',
  userAgent: '$context.identity.userAgent',
  routeKey: '$context.routeKey',
  status: '$context.status',
  protocol: '$context.protocol',
  responseLength: '$context.responseLength',
  responseLatency: '$context.responseLatency',
  integrationLatency: '$context.integrationLatency',
  integrationError: '$context.integrationErrorMessage',
  authorizerError: '$context.authorizer.error',
};

export interface ApiProps {
  readonly functions: Functions;
  readonly userPool: UserPool;
  /** The app clients whose tokens the operator routes accept (the operator tools', the console's). */
  readonly userPoolClients: readonly UserPoolClient[];
  /**
   * The only browser origins allowed to call the API (CORS), e.g. the console's `https://…cloudfront.net`.
   * @default none: no CORS configuration, so browsers on other origins cannot read the answers
   */
  readonly corsOrigins?: readonly string[];
}

/**
 * The HTTP API with every route of the topology.
 *
 * `jwt` routes go through a JWT authorizer backed by the operator user pool (the handler then checks the role
 * from `cognito:groups`); `signature` routes (webhooks, carrier callbacks) have no authorizer because the sender
 * cannot hold a Cognito token: the handler verifies the HMAC signature of the raw body instead.
 */
export class Api extends Construct {
  readonly httpApi: HttpApi;
  readonly stage: HttpStage;
  readonly routes: ReadonlyMap<string, HttpRoute>;

  constructor(scope: Construct, id: string, props: ApiProps) {
    super(scope, id);
    this.httpApi = new HttpApi(this, 'HttpApi', {
      description: 'O2C webhooks and operator API',
      // The default stage is added below, with access logging and throttling.
      createDefaultStage: false,
      ...(props.corsOrigins?.length
        ? {
            // API Gateway answers the preflight itself (before the JWT authorizer) and sets these headers on
            // every answer; no credentials mode: the token travels in the Authorization header, not a cookie.
            corsPreflight: {
              allowOrigins: [...props.corsOrigins],
              allowMethods: API_CORS.allowMethods.map((method) => CorsHttpMethod[method]),
              allowHeaders: [...API_CORS.allowHeaders],
              exposeHeaders: [...API_CORS.exposeHeaders],
              maxAge: Duration.seconds(API_CORS.maxAgeSeconds),
              allowCredentials: false,
            },
          }
        : {}),
    });

    const accessLogs = new LogGroup(this, 'AccessLogs', {
      retention: RetentionDays.ONE_MONTH,
      removalPolicy: RemovalPolicy.DESTROY,
    });
    this.stage = this.httpApi.addStage('DefaultStage', {
      stageName: '$default',
      autoDeploy: true,
      throttle: API_THROTTLE,
      accessLogSettings: {
        destination: new LogGroupLogDestination(accessLogs),
        format: AccessLogFormat.custom(JSON.stringify(ACCESS_LOG_FIELDS)),
      },
    });

    // The pool's ProviderURL attribute has no scheme; the `iss` claim of its tokens does. The authorizer checks
    // `aud` (ID tokens) or, where a token has none, `client_id` (access tokens) against the audience list.
    const issuer = `https://cognito-idp.${Stack.of(this).region}.${Stack.of(this).urlSuffix}/${props.userPool.userPoolId}`;
    const authorizer = new HttpJwtAuthorizer('OperatorJwtAuthorizer', issuer, {
      jwtAudience: props.userPoolClients.map((client) => client.userPoolClientId),
      identitySource: ['$request.header.Authorization'],
    });

    const built = new Map<string, HttpRoute>();
    for (const route of routes) {
      const [httpRoute] = this.httpApi.addRoutes({
        path: route.path,
        methods: [HttpMethod[route.method]],
        integration: new HttpLambdaIntegration(
          `${pascalCase(route.method.toLowerCase())}${pascalCase(route.path)}Integration`,
          props.functions.get(route.function).function,
          { payloadFormatVersion: PayloadFormatVersion.VERSION_2_0 },
        ),
        authorizer: route.auth.kind === 'jwt' ? authorizer : undefined,
      });
      if (!httpRoute) throw new Error(`No route was created for ${routeKey(route)}`);
      if (route.auth.kind === 'signature') {
        Validations.of(httpRoute).acknowledge({
          id: 'AwsSolutions-APIG4',
          reason: `${routeKey(route)} is called by an external sender that cannot hold a Cognito token; the handler verifies the HMAC-SHA256 signature of the raw body (and its timestamp) before anything is written.`,
        });
      }
      built.set(routeKey(route), httpRoute);
    }
    this.routes = built;
  }

  /** The base URL of the default stage. */
  get url(): string {
    return this.stage.url;
  }
}
