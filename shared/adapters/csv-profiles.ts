import { GetCommand, PutCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { keys } from '#domain/keys';
import type { CsvProfileInput } from '#shared/bank/csv-profile';

/** CSV column profiles, one per bank account, with who saved them and when. */
export function dynamoCsvProfiles(client: DynamoDBDocumentClient, tableName: string) {
  return {
    async get(account: string): Promise<CsvProfileInput | undefined> {
      const { Item } = await client.send(new GetCommand({ TableName: tableName, Key: keys.csvProfile(account) }));
      return Item?.profile as CsvProfileInput | undefined;
    },
    async save(account: string, profile: CsvProfileInput, savedBy: string, savedAt: string): Promise<void> {
      await client.send(new PutCommand({ TableName: tableName, Item: { ...keys.csvProfile(account), entityType: 'CsvProfile', account, profile, savedBy, savedAt } }));
    },
  };
}
