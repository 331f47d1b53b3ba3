import { ConditionalCheckFailedException, DynamoDBClient, TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import { DeleteCommand, DynamoDBDocumentClient, PutCommand, TransactWriteCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { failedConditions, putIfVersion, runTransaction, transactIfUnchanged, writeTransaction, type TransactItem } from '#adapters/dynamo-items';

const dynamo = mockClient(DynamoDBDocumentClient);
beforeEach(() => dynamo.reset());
const documents = () => DynamoDBDocumentClient.from(new DynamoDBClient({ region: 'eu-west-1' }));

const refused = () => new ConditionalCheckFailedException({ message: 'The conditional request failed', $metadata: {} });
const item = { pk: 'INVOICE#I1', sk: 'INVOICE', version: 3 };

describe('a transaction of one item', () => {
  it('given one conditional put, when run, then it is a plain conditional PutItem (half the write units of a transaction), not TransactWriteItems', async () => {
    dynamo.on(PutCommand).resolves({});

    await runTransaction(documents(), [putIfVersion('t', item, 2)]);

    expect(dynamo.commandCalls(TransactWriteCommand)).toHaveLength(0);
    expect(dynamo.commandCalls(PutCommand).map((call) => call.args[0].input)).toEqual([
      { TableName: 't', Item: item, ConditionExpression: '#version = :expected', ExpressionAttributeNames: { '#version': 'version' }, ExpressionAttributeValues: { ':expected': 2 } },
    ]);
  });

  it('given one update and one delete, when each is run alone, then they are a plain UpdateItem and DeleteItem with their conditions', async () => {
    dynamo.on(UpdateCommand).resolves({});
    dynamo.on(DeleteCommand).resolves({});
    const update: TransactItem = { Update: { TableName: 't', Key: { pk: 'P', sk: 'P' }, UpdateExpression: 'SET a = :a', ConditionExpression: 'attribute_exists(pk)', ExpressionAttributeValues: { ':a': 1 } } };
    const remove: TransactItem = { Delete: { TableName: 't', Key: { pk: 'W', sk: 'WORK' }, ConditionExpression: 'attribute_exists(pk)' } };

    await runTransaction(documents(), [update]);
    await runTransaction(documents(), [remove]);

    expect(dynamo.commandCalls(TransactWriteCommand)).toHaveLength(0);
    expect(dynamo.commandCalls(UpdateCommand)[0]!.args[0].input).toEqual(update.Update);
    expect(dynamo.commandCalls(DeleteCommand)[0]!.args[0].input).toEqual(remove.Delete);
  });

  it('given its condition fails, when run, then the error reads as a transaction whose only item failed its condition', async () => {
    dynamo.on(PutCommand).rejects(refused());

    const error = await runTransaction(documents(), [putIfVersion('t', item, 2)]).catch((caught: unknown) => caught);

    expect(error).toBeInstanceOf(TransactionCanceledException);
    expect(failedConditions(error)).toEqual([0]);
  });

  it('given its condition fails, when written by the callers, then they answer as they do for a cancelled transaction: false, exists, changed', async () => {
    dynamo.on(PutCommand).rejects(refused());

    await expect(transactIfUnchanged(documents(), [putIfVersion('t', item, 2)])).resolves.toBe(false);
    await expect(writeTransaction(documents(), [putIfVersion('t', item, undefined)], { firstItemCreates: true })).resolves.toBe('exists');
    await expect(writeTransaction(documents(), [putIfVersion('t', item, 2)], { firstItemCreates: false })).resolves.toBe('changed');
  });

  it('given another error, when run, then it is thrown as it came', async () => {
    dynamo.on(PutCommand).rejects(new Error('boom'));

    await expect(runTransaction(documents(), [putIfVersion('t', item, 2)])).rejects.toThrow('boom');
  });

  it('given two items, when run, then they stay one TransactWriteItems', async () => {
    dynamo.on(TransactWriteCommand).resolves({});

    await runTransaction(documents(), [putIfVersion('t', item, 2), putIfVersion('t', { ...item, pk: 'INVOICE#I2' }, 2)]);

    expect(dynamo.commandCalls(TransactWriteCommand)).toHaveLength(1);
    expect(dynamo.commandCalls(PutCommand)).toHaveLength(0);
  });
});
