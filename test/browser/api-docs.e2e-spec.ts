import { describe, expect, it } from '@jest/globals';
import { chromiumForSuite, openTab } from './support/browser.js';
import { consoleServerForSuite } from './support/console-server.js';

describe('the API documentation in Chromium', () => {
  const chromium = chromiumForSuite();
  const app = consoleServerForSuite();

  it('renders /docs under its Content-Security-Policy and runs a request from it, with nothing refused', async () => {
    const { page, problems, context } = await openTab(chromium.browser);
    await context.addInitScript(() => {
      const refused: string[] = [];
      Object.assign(window, { refusedByPolicy: refused });
      document.addEventListener('securitypolicyviolation', (event) => refused.push(`${event.violatedDirective} ${event.blockedURI}`));
    });
    const answer = await page.goto(`${app.url}/docs`);
    expect(await answer?.headerValue('content-security-policy')).toMatch(/default-src 'self'/);

    await page.locator('.swagger-ui .info .title').getByText('Workflows service').waitFor();
    await page.locator('.opblock-summary-path', { hasText: /^\/health$/ }).click();
    await page.getByRole('button', { name: 'Try it out' }).click();
    await page.getByRole('button', { name: 'Execute' }).click();
    await page.locator('.live-responses-table .response-col_status').getByText('200').waitFor();

    expect(await page.evaluate(() => (window as unknown as { refusedByPolicy: string[] }).refusedByPolicy)).toEqual([]);
    expect(problems).toEqual([]);
    await context.close();
  });
});
