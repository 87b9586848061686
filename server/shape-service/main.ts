// `npm run shapes`: the shape service alone, configured like Electric's sync service (every
// setting is in config.ts; `npm run shapes -- --help` lists them). It runs no migrations and
// knows nothing of the product: any table, any where, behind the secret.
import http from 'node:http';
import { ConfigError, loadServiceConfig, settingsHelp } from './config.ts';
import { createShapeService } from './embedded.ts';
import { consoleLogger } from './logger.ts';
import { sendJson } from './response.ts';

async function main(): Promise<void> {
  if (process.argv.includes('--help')) {
    console.log(settingsHelp());
    return;
  }
  const config = loadServiceConfig();
  const log = consoleLogger(config.logLevel);
  const service = createShapeService({
    databaseUrl: config.databaseUrl,
    log,
    secret: config.secret,
    allowDelete: config.allowDelete,
    chunkBytes: config.chunkBytes,
    storageDir: config.storageDir,
  });
  // Plain Node, as service.ts explains: `/` answers 200 (a load balancer's probe), the rest 404.
  const server = http.createServer((req, res) => {
    service.handle(req, res, () => {
      if (req.url === '/' || req.url?.startsWith('/?')) {
        res.statusCode = 200;
        res.end();
      } else sendJson(res, 404, { message: 'Not found' });
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(config.port, config.host, () => resolve());
  });
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : config.port;
  log.info(
    `Shape service on http://${config.host}:${port}/v1/shape${config.secret ? '' : ' (insecure: no secret)'}`,
  );

  let stopping = false;
  const stop = async () => {
    if (stopping) return;
    stopping = true;
    server.close();
    server.closeAllConnections();
    await service.stop();
    process.exit(0);
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

main().catch((error) => {
  console.error(error instanceof ConfigError ? error.message : error);
  process.exit(1);
});
