import 'reflect-metadata';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { randomBytes } from 'node:crypto';
import { SecretBox } from '#channels';
import { SERVER_ROLES } from '#platform';
import { createApp } from '../create-app.js';
import { OPENAPI_FILE, openApiDocumentOf, openApiFileText } from './openapi-document.js';

/**
 * `npm run openapi`: builds the server on a scratch data directory (the document does not depend
 * on the data or the configuration) and writes the document it serves at /docs-json.
 */
const main = async (): Promise<void> => {
  const dataDir = mkdtempSync(join(tmpdir(), 'workflows-openapi-'));
  try {
    const app = await createApp({
      port: 0,
      host: '127.0.0.1',
      dataDir,
      authSecret: randomBytes(32).toString('base64url'),
      eventStore: { kind: 'sqlite' },
      readModel: { kind: 'sqlite' },
      roles: new Set(SERVER_ROLES),
      logLevel: 'error',
      aiAgent: undefined,
      channelSecretsKey: SecretBox.generateKey(),
    });
    try {
      await app.init();
      writeFileSync(resolve(OPENAPI_FILE), openApiFileText(openApiDocumentOf(app)));
    } finally {
      await app.close();
    }
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
  }
  process.stdout.write(`Wrote ${OPENAPI_FILE}\n`);
};

await main();
