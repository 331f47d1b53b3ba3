import { describe, expect, it } from 'vitest';
import { toEmailEvent } from '#schemas/ses-events';

/** The shape SES publishes to EventBridge (AWS "Monitoring using Amazon SES event publishing", bounce example). */
const bounce = {
  version: '0',
  id: 'd7a8d3d2-8a1f-4f63-9f6a-7a4b1b7c1a11',
  'detail-type': 'Email Bounced',
  source: 'aws.ses',
  account: '123456789012',
  time: '2026-11-23T12:00:05Z',
  region: 'eu-west-1',
  resources: ['arn:aws:ses:eu-west-1:123456789012:configuration-set/o2c'],
  detail: {
    eventType: 'Bounce',
    bounce: {
      bounceType: 'Permanent',
      bounceSubType: 'General',
      bouncedRecipients: [{ emailAddress: 'ap@buyer.example', action: 'failed', status: '5.1.1', diagnosticCode: 'smtp; 550 5.1.1 user unknown' }],
      timestamp: '2026-11-23T12:00:04.000Z',
      feedbackId: '0102017f-abcd',
    },
    mail: { timestamp: '2026-11-23T12:00:00.000Z', source: 'billing@seller.example', messageId: '0102017f-1234-5678', destination: ['ap@buyer.example'] },
  },
};

describe('SES events from EventBridge', () => {
  it('given a permanent bounce, when mapped, then a bounce of that message with the diagnostic code', () => {
    expect(toEmailEvent(bounce)).toEqual({ messageId: '0102017f-1234-5678', kind: 'bounce', bounceType: 'Permanent', detail: 'smtp; 550 5.1.1 user unknown', at: '2026-11-23T12:00:05Z' });
  });

  it('given a delivery, when mapped, then the delivery time', () => {
    const delivery = { ...bounce, 'detail-type': 'Email Delivered', detail: { eventType: 'Delivery', delivery: { timestamp: '2026-11-23T12:00:02.000Z' }, mail: bounce.detail.mail } };

    expect(toEmailEvent(delivery)).toMatchObject({ kind: 'delivery', at: '2026-11-23T12:00:02.000Z' });
  });

  it('given an event we do not act on (an open), when mapped, then nothing', () => {
    expect(toEmailEvent({ ...bounce, 'detail-type': 'Email Opened', detail: { eventType: 'Open', mail: bounce.detail.mail } })).toBeUndefined();
  });

  it('given an event from another source, when mapped, then it is refused', () => {
    expect(() => toEmailEvent({ ...bounce, source: 'aws.s3' })).toThrow();
  });
});
