import type { FastifyRequest } from 'fastify';

/** How a request the console answered with its page is logged and counted. */
export const CONSOLE_PAGE_ROUTE = '(console page)';

/** Requests the console answered with its page, whichever API route their path also matches. */
const consolePages = new WeakSet<FastifyRequest>();

export const markConsolePage = (request: FastifyRequest): void => {
  consolePages.add(request);
};

/**
 * What a request is logged and counted by: the route's pattern (`/webchat/:channelId/messages`),
 * never the URL, which may carry a secret; the console's page by that name, since a browser loading
 * `/workflows/:id` asked the console, not the API; null when no route matched.
 */
export const routeLabelOf = (request: FastifyRequest): string | null =>
  consolePages.has(request) ? CONSOLE_PAGE_ROUTE : (request.routeOptions.url ?? null);
