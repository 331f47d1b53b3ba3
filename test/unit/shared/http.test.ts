import { describe, expect, it } from 'vitest';
import { authorize, groupsFromClaims, type HttpEvent } from '#shared/http';
import { findRoute } from '#shared/topology';

const eventWith = (claims?: Record<string, unknown>) => ({ requestContext: { authorizer: claims ? { jwt: { claims } } : undefined } }) as unknown as HttpEvent;

describe('roles from JWT claims', () => {
  it('given API Gateway flattened the groups into one string, when read, then each group comes out', () => {
    expect(groupsFromClaims({ 'cognito:groups': '[admin viewer]' })).toEqual(['admin', 'viewer']);
  });

  it('given a locally minted array claim, when read, then it is kept', () => {
    expect(groupsFromClaims({ 'cognito:groups': ['ar-clerk'] })).toEqual(['ar-clerk']);
  });

  it('given no groups claim, when read, then there are none', () => {
    expect(groupsFromClaims({ sub: 'x' })).toEqual([]);
  });
});

describe('authorize', () => {
  const route = findRoute('GET /orders/{id}');

  it('given no claims, when authorizing a JWT route, then Unauthenticated', () => {
    expect(() => authorize(eventWith(), route)).toThrow(expect.objectContaining({ name: 'Unauthenticated', httpStatus: 401 }));
  });

  it('given a group outside the route roles, when authorizing, then Forbidden', () => {
    expect(() => authorize(eventWith({ 'cognito:groups': '[customer]' }), route)).toThrow(expect.objectContaining({ name: 'Forbidden', httpStatus: 403 }));
  });

  it('given a reader role, when authorizing a read route, then it passes', () => {
    expect(() => authorize(eventWith({ 'cognito:groups': '[viewer]' }), route)).not.toThrow();
  });

  it('given a signature route, when authorizing, then claims are not needed', () => {
    expect(() => authorize(eventWith(), findRoute('POST /webhooks/orders'))).not.toThrow();
  });
});
