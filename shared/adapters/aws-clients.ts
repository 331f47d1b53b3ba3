import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { S3Client } from '@aws-sdk/client-s3';
import { SESv2Client } from '@aws-sdk/client-sesv2';
import { SFNClient } from '@aws-sdk/client-sfn';
import { SQSClient } from '@aws-sdk/client-sqs';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';

/**
 * SDK clients, built once per function instance and only when first used, so a function bundles and
 * initialises only the clients it touches. Endpoints come from AWS_ENDPOINT_URL_* (set by the embedded runtime).
 */
let dynamo: DynamoDBClient | undefined;
let documents: DynamoDBDocumentClient | undefined;
let sqs: SQSClient | undefined;
let sfn: SFNClient | undefined;
let s3: S3Client | undefined;
let ses: SESv2Client | undefined;

export function dynamoClient(): DynamoDBClient {
  return (dynamo ??= new DynamoDBClient({}));
}

export function documentClient(): DynamoDBDocumentClient {
  return (documents ??= DynamoDBDocumentClient.from(dynamoClient(), {
    marshallOptions: { removeUndefinedValues: true, convertEmptyValues: false },
  }));
}

export function sqsClient(): SQSClient {
  return (sqs ??= new SQSClient({}));
}

export function sfnClient(): SFNClient {
  return (sfn ??= new SFNClient({}));
}

export function s3Client(): S3Client {
  return (s3 ??= new S3Client({}));
}

export function sesClient(): SESv2Client {
  return (ses ??= new SESv2Client({}));
}
