/** `scheme://user:password@` — everything up to the last `@` before the query (a password may hold `/`). */
const USER_INFO = /^([a-z][a-z0-9+.-]*:\/\/)?[^?#]*@/i;
/** Query parameters whose value is a secret, whatever the backend calls them. */
const SECRET_PARAMETER = /pass(word|wd)?|pwd|token|secret|credential|api[-_]?key/i;

/**
 * A connection string fit for logs and error messages: without `user:password@` and without
 * query parameters that carry secrets. Works on malformed strings too, since those end up in
 * error messages as well.
 */
export function redactConnectionString(connectionString: string): string {
  const queryStart = connectionString.indexOf('?');
  const address = queryStart === -1 ? connectionString : connectionString.slice(0, queryStart);
  const withoutUserInfo = address.replace(USER_INFO, '$1');
  if (queryStart === -1) return withoutUserInfo;

  const keptParameters = connectionString
    .slice(queryStart + 1)
    .split('&')
    .filter((parameter) => parameter !== '' && !SECRET_PARAMETER.test(parameter.split('=')[0]));
  return keptParameters.length > 0 ? `${withoutUserInfo}?${keptParameters.join('&')}` : withoutUserInfo;
}
