import { EventBus, Rule } from 'aws-cdk-lib/aws-events';
import { LambdaFunction } from 'aws-cdk-lib/aws-events-targets';
import { ConfigurationSet, EmailSendingEvent, EventDestination } from 'aws-cdk-lib/aws-ses';
import { Construct } from 'constructs';
import { emailEvents, functions as functionSpecs, type FunctionKey } from '#shared/topology';
import type { Functions } from './functions.ts';

/** The SES events that change what we know about an email we sent. */
const EVENTS = [EmailSendingEvent.DELIVERY, EmailSendingEvent.BOUNCE, EmailSendingEvent.COMPLAINT, EmailSendingEvent.REJECT];

/**
 * SES sends through a configuration set whose delivery, bounce, complaint and reject events go to the account's
 * default EventBridge bus; a rule hands them to the function that records them on the invoice. Every function that
 * sends email gets the configuration set's name.
 */
export class EmailEvents extends Construct {
  readonly configurationSet: ConfigurationSet;

  constructor(scope: Construct, id: string, props: { functions: Functions }) {
    super(scope, id);
    this.configurationSet = new ConfigurationSet(this, 'ConfigurationSet', {});
    const bus = EventBus.fromEventBusName(this, 'DefaultBus', 'default');
    this.configurationSet.addEventDestination('ToEventBridge', { destination: EventDestination.eventBus(bus), events: EVENTS });
    new Rule(this, 'EmailEventsRule', {
      description: 'SES delivery, bounce, complaint and reject events of O2C emails',
      eventPattern: { source: ['aws.ses'], detailType: ['Email Delivered', 'Email Bounced', 'Email Complaint Received', 'Email Rejected'] },
      // Events EventBridge cannot deliver after its retries land in the same dead-letter queue as failed invocations.
      targets: [new LambdaFunction(props.functions.get(emailEvents.function).function, { retryAttempts: 8, deadLetterQueue: props.functions.asyncFailuresQueue })],
    });
    for (const key of Object.keys(functionSpecs) as FunctionKey[]) {
      const spec = functionSpecs[key];
      if ('sendEmail' in spec.access && spec.access.sendEmail) props.functions.get(key).function.addEnvironment(emailEvents.envVar, this.configurationSet.configurationSetName);
    }
  }
}
