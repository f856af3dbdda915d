/**
 * Child process: one fixed-duration autocannon run against one route of a running server;
 * answers with the successful requests per second.
 */
import autocannon from 'autocannon';
import { answerParent, childInput } from './child-script.js';

export type HttpScenario = 'health' | 'create_workflow' | 'list_workflows';

export interface HttpLoadInput {
  baseUrl: string;
  scenario: HttpScenario;
  /** An admin token of the workspace the scenario works in. */
  token: string;
  connections: number;
  durationSeconds: number;
}

export interface HttpLoadResult {
  requestsPerSecond: number;
  succeeded: number;
  failed: number;
  latencyP99Ms: number;
}

const requestOf = (scenario: HttpScenario, token: string): autocannon.Request => {
  const authorization = `Bearer ${token}`;
  switch (scenario) {
    case 'health':
      return { method: 'GET', path: '/health' };
    case 'list_workflows':
      return { method: 'GET', path: '/workflows?limit=50', headers: { authorization } };
    case 'create_workflow': {
      let created = 0;
      return {
        method: 'POST',
        path: '/workflows',
        headers: { authorization, 'content-type': 'application/json' },
        // A name of its own for each request, as admins give them.
        setupRequest: (request) => ({ ...request, body: JSON.stringify({ name: `Bench flow ${process.pid}-${++created}` }) }),
      };
    }
  }
};

const { baseUrl, scenario, token, connections, durationSeconds } = childInput<HttpLoadInput>();
const result = await autocannon({ url: baseUrl, connections, duration: durationSeconds, requests: [requestOf(scenario, token)] });
const failed = result.non2xx + result.errors;
answerParent({
  requestsPerSecond: result['2xx'] / result.duration,
  succeeded: result['2xx'],
  failed,
  latencyP99Ms: result.latency.p99,
} satisfies HttpLoadResult);
