import { beforeAll, describe, expect, it } from 'vitest';
import { API_THROTTLE } from '../../infra/constructs/api.ts';
import { roles, routeKey, routes } from '#shared/topology';
import { SYNTH_TIMEOUT_MS, synthesizeStack, type SynthesizedStack } from './synthesized-stack.ts';

let synthesized: SynthesizedStack;
beforeAll(() => {
  synthesized = synthesizeStack();
}, SYNTH_TIMEOUT_MS);

type Resource = { Type: string; Properties: Record<string, unknown> };
const resources = () => synthesized.template.toJSON().Resources as Record<string, Resource>;
const routeResource = (key: string) => {
  const found = Object.values(resources()).filter((resource) => resource.Type === 'AWS::ApiGatewayV2::Route' && resource.Properties.RouteKey === key);
  expect(found, `route ${key}`).toHaveLength(1);
  return found[0]!.Properties;
};
const authorizerId = () => {
  const ids = Object.keys(synthesized.template.findResources('AWS::ApiGatewayV2::Authorizer'));
  expect(ids).toHaveLength(1);
  return ids[0]!;
};

describe('given the HTTP API', () => {
  it('then it has exactly the routes of the topology', () => {
    const keys = Object.values(synthesized.template.findResources('AWS::ApiGatewayV2::Route')).map((route) => route.Properties.RouteKey);
    expect(keys.sort()).toEqual(routes.map(routeKey).sort());
  });

  it('then its default stage writes JSON access logs', () => {
    const stage = Object.values(synthesized.template.findResources('AWS::ApiGatewayV2::Stage'));
    expect(stage).toHaveLength(1);
    expect(stage[0]!.Properties.StageName).toBe('$default');
    const settings = stage[0]!.Properties.AccessLogSettings as { DestinationArn: unknown; Format: string };
    expect(settings.DestinationArn).toEqual({ 'Fn::GetAtt': [expect.any(String), 'Arn'] });
    expect(JSON.parse(settings.Format)).toMatchObject({ requestId: '$context.requestId', status: '$context.status', routeKey: '$context.routeKey' });
  });

  it('then its default stage throttles every route', () => {
    synthesized.template.hasResourceProperties('AWS::ApiGatewayV2::Stage', {
      DefaultRouteSettings: { ThrottlingBurstLimit: API_THROTTLE.burstLimit, ThrottlingRateLimit: API_THROTTLE.rateLimit },
    });
  });

  it('then its JWT authorizer trusts only tokens the operator user pool issued to the operator and console app clients', () => {
    expect(resources()[authorizerId()]!.Properties).toMatchObject({
      AuthorizerType: 'JWT',
      IdentitySource: ['$request.header.Authorization'],
      JwtConfiguration: {
        Audience: [{ Ref: synthesized.logicalId(synthesized.stack.identity.client) }, { Ref: synthesized.logicalId(synthesized.stack.consoleClient) }],
        Issuer: {
          'Fn::Join': ['', ['https://cognito-idp.', { Ref: 'AWS::Region' }, '.', { Ref: 'AWS::URLSuffix' }, '/', { Ref: synthesized.logicalId(synthesized.stack.identity.userPool) }]],
        },
      },
    });
  });

  it('then its URL is a stack output', () => {
    synthesized.template.hasOutput('ApiUrl', {});
  });
});

describe.each(routes.map((route) => [routeKey(route), route] as const))('given the route %s', (key, route) => {
  it(`then it is ${route.auth.kind === 'jwt' ? 'behind the JWT authorizer' : 'open to signed callers (no authorizer)'}`, () => {
    const properties = routeResource(key);
    if (route.auth.kind === 'jwt') {
      expect(properties).toMatchObject({ AuthorizationType: 'JWT', AuthorizerId: { Ref: authorizerId() } });
    } else {
      expect(properties.AuthorizationType).toBe('NONE');
      expect(properties.AuthorizerId).toBeUndefined();
    }
  });

  it('then it invokes the topology function through a payload 2.0 Lambda proxy integration', () => {
    const target = routeResource(key).Target as { 'Fn::Join': [string, [string, { Ref: string }]] };
    const integration = resources()[target['Fn::Join'][1][1].Ref]!.Properties;
    expect(integration).toMatchObject({
      IntegrationType: 'AWS_PROXY',
      PayloadFormatVersion: '2.0',
      IntegrationUri: { 'Fn::GetAtt': [synthesized.logicalId(synthesized.stack.functions.get(route.function).function), 'Arn'] },
    });
  });
});

describe('given the operator user pool', () => {
  it('then it has one group per topology role', () => {
    const groups = Object.values(synthesized.template.findResources('AWS::Cognito::UserPoolGroup')).map((group) => group.Properties.GroupName);
    expect(groups.sort()).toEqual([...roles].sort());
  });

  it('then sign-in requires MFA', () => {
    synthesized.template.hasResourceProperties('AWS::Cognito::UserPool', { MfaConfiguration: 'ON' });
  });

  it('then nobody can sign themselves up', () => {
    synthesized.template.hasResourceProperties('AWS::Cognito::UserPool', { AdminCreateUserConfig: { AllowAdminCreateUserOnly: true } });
  });

  it('then its id and app client id are stack outputs', () => {
    synthesized.template.hasOutput('UserPoolId', { Value: { Ref: synthesized.logicalId(synthesized.stack.identity.userPool) } });
    synthesized.template.hasOutput('UserPoolClientId', { Value: { Ref: synthesized.logicalId(synthesized.stack.identity.client) } });
  });
});

describe('given the cash application routes', () => {
  it.each([
    ['POST /bank-files', 'uploadBankFile'],
    ['GET /payments', 'findPayments'],
    ['GET /payments/{id}', 'getPayment'],
    ['POST /payments/{id}/allocations', 'allocatePayment'],
  ] as const)('then %s exists behind the JWT authorizer and invokes %s', (key, functionKey) => {
    const properties = routeResource(key);
    expect(properties).toMatchObject({ AuthorizationType: 'JWT', AuthorizerId: { Ref: authorizerId() } });
    const target = properties.Target as { 'Fn::Join': [string, [string, { Ref: string }]] };
    expect(resources()[target['Fn::Join'][1][1].Ref]!.Properties.IntegrationUri).toEqual({
      'Fn::GetAtt': [synthesized.logicalId(synthesized.stack.functions.get(functionKey).function), 'Arn'],
    });
  });
});
