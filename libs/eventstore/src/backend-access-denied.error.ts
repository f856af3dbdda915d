import { redactConnectionString } from './connection-string.redaction.js';

/**
 * A backend answered but refused the credentials or the rights of the user it was given: a
 * configuration error, which no retry cures, unlike an outage. The message names the backend,
 * its address (redacted) and what the user needs.
 */
export class BackendAccessDeniedError extends Error {
  readonly address: string;

  constructor(
    readonly backend: string,
    address: string,
    readonly reason: string,
    needs: string,
  ) {
    const redacted = redactConnectionString(address);
    super(`${backend} at ${redacted} denied access (a configuration error): ${reason}; ${needs}`);
    this.name = 'BackendAccessDeniedError';
    this.address = redacted;
  }
}
