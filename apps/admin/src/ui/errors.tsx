import { ApiError } from '../api/api-client.js';

/** An error in words: the API's own message when it sent one. */
export const describeError = (error: unknown): string =>
  error instanceof ApiError ? error.message : error instanceof Error ? error.message : String(error);

export const ErrorNotice = ({ error }: { error: unknown }) =>
  error === null || error === undefined ? null : (
    <p role="alert" className="notice error">
      {describeError(error)}
    </p>
  );
