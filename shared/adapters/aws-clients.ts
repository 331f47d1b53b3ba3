import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { S3Client } from '@aws-sdk/client-s3';
import { SESv2Client } from '@aws-sdk/client-sesv2';
import { SFNClient } from '@aws-sdk/client-sfn';
import { SQSClient } from '@aws-sdk/client-sqs';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { metered } from './metering.ts';

/**
 * SDK clients, built once per function instance and only when first used, so a function bundles and
 * initialises only the clients it touches. Endpoints come from AWS_ENDPOINT_URL_* (set by the embedded runtime).
 * Under the embedded runtime's meter (`O2C_METER=1`) each also reports its requests (`./metering.ts`); on AWS they
 * are plain clients. The document client shares the DynamoDB client's middleware, so both are metered.
 */
let dynamo: DynamoDBClient | undefined;
let documents: DynamoDBDocumentClient | undefined;
let sqs: SQSClient | undefined;
let sfn: SFNClient | undefined;
let s3: S3Client | undefined;
let ses: SESv2Client | undefined;

export function dynamoClient(): DynamoDBClient {
  return (dynamo ??= metered(new DynamoDBClient({}), 'dynamodb'));
}

export function documentClient(): DynamoDBDocumentClient {
  return (documents ??= DynamoDBDocumentClient.from(dynamoClient(), {
    marshallOptions: { removeUndefinedValues: true, convertEmptyValues: false },
  }));
}

export function sqsClient(): SQSClient {
  return (sqs ??= metered(new SQSClient({}), 'sqs'));
}

export function sfnClient(): SFNClient {
  return (sfn ??= metered(new SFNClient({}), 'sfn'));
}

export function s3Client(): S3Client {
  return (s3 ??= metered(new S3Client({}), 's3'));
}

export function sesClient(): SESv2Client {
  return (ses ??= metered(new SESv2Client({}), 'ses'));
}
