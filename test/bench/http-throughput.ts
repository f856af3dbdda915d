/** Requests per second on three routes of one server, loaded by autocannon from a child process. */
import { Progress } from '../../apps/cli/src/progress.js';
import type { Api } from '../support/test-server.js';
import { type Metrics, measured, missing } from './bench-report.js';
import type { HttpLoadInput, HttpLoadResult, HttpScenario } from './autocannon-load.js';
import { runChildScript } from './child-script.js';

export interface HttpBenchSizes {
  connections: number;
  durationSeconds: number;
}

const LISTED_CARDS = 1000;
/** Each scenario in a workspace of its own: the list reads exactly the cards created for it. */
const CREATE_WORKSPACE = 'bench-create';
const LIST_WORKSPACE = 'bench-list';

async function createCards(api: Api, token: string, count: number): Promise<void> {
  const progress = new Progress('workflow cards for the list', count, 'cards');
  let started = 0;
  let created = 0;
  const creator = async () => {
    while (started < count) {
      started += 1;
      const response = await api.request('POST', '/workflows', { body: { name: `Listed flow ${started}` }, token });
      if (response.status !== 201) throw new Error(`creating a card failed: ${response.status} ${JSON.stringify(response.body)}`);
      progress.update(++created);
    }
  };
  await Promise.all(Array.from({ length: 16 }, creator));
  progress.finish(`${count} cards created`);
}

async function load(api: Api, scenario: HttpScenario, token: string, sizes: HttpBenchSizes): Promise<HttpLoadResult> {
  process.stderr.write(`${scenario}: ${sizes.connections} connections for ${sizes.durationSeconds} s...\n`);
  const input: HttpLoadInput = { baseUrl: api.baseUrl, scenario, token, ...sizes };
  const result = await runChildScript<HttpLoadResult>('./autocannon-load.js', input, (sizes.durationSeconds + 60) * 1000);
  process.stderr.write(
    `${scenario}: ${Math.round(result.requestsPerSecond).toLocaleString('en')} req/s, p99 ${result.latencyP99Ms} ms, ${result.failed} failed\n`,
  );
  return result;
}

const requestRate = (result: HttpLoadResult) =>
  result.succeeded > 0 ? measured(result.requestsPerSecond, 'req/s') : missing('req/s', `no request succeeded (${result.failed} failed)`);

export async function httpMetrics(api: Api, sizes: HttpBenchSizes): Promise<Metrics> {
  const health = await load(api, 'health', api.token('admin'), sizes);
  const created = await load(api, 'create_workflow', api.token('admin', CREATE_WORKSPACE), sizes);
  const listToken = api.token('admin', LIST_WORKSPACE);
  await createCards(api, listToken, LISTED_CARDS);
  const listed = await load(api, 'list_workflows', listToken, sizes);
  return {
    'http.health.req_per_s': requestRate(health),
    'http.create_workflow.req_per_s': requestRate(created),
    'http.list_workflows.req_per_s': requestRate(listed),
  };
}
