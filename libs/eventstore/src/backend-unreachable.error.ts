import { redactConnectionString } from './connection-string.redaction.js';

/**
 * A backend did not answer at start. The message names the backend and its address, so an
 * operator knows what to fix; the address is redacted here, so no caller can leak credentials.
 */
export class BackendUnreachableError extends Error {
  readonly address: string;

  constructor(
    readonly backend: string,
    address: string,
    readonly reason: string,
  ) {
    const redacted = redactConnectionString(address);
    super(`${backend} at ${redacted} is unreachable: ${reason}`);
    this.name = 'BackendUnreachableError';
    this.address = redacted;
  }
}
