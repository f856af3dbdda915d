import { type FormEvent, useState } from 'react';
import { useAuth } from './auth-context.js';

export const SignInPage = () => {
  const { signIn, reason } = useAuth();
  const [token, setToken] = useState('');
  const [problem, setProblem] = useState<string | null>(null);

  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (token.trim() === '') return setProblem('Paste a token to sign in.');
    setProblem(signIn(token));
  };

  return (
    <main className="sign-in">
      <h1>Sign in to Workflows</h1>
      {reason !== null && (
        <p role="alert" className="notice error">
          {reason}
        </p>
      )}
      <form onSubmit={submit} noValidate>
        <label htmlFor="token">Sign-in token</label>
        <textarea
          id="token"
          name="token"
          rows={4}
          value={token}
          onChange={(event) => setToken(event.target.value)}
          // A token is one line: Enter signs in, as in a one-line field.
          onKeyDown={(event) => {
            if (event.key === 'Enter' && !event.shiftKey) {
              event.preventDefault();
              event.currentTarget.form?.requestSubmit();
            }
          }}
          aria-invalid={problem !== null}
          aria-describedby={problem !== null ? 'token-problem token-help' : 'token-help'}
          spellCheck={false}
          autoComplete="off"
        />
        {problem !== null && (
          <p id="token-problem" className="field-error">
            {problem}
          </p>
        )}
        <p id="token-help" className="hint">
          The server prints a sign-in link when it starts. Or mint a token with <code>npm run cli -- token --role admin</code> (or{' '}
          <code>--role auditor</code>) and paste it here. It is kept for this tab only.
        </p>
        <button type="submit" className="primary">
          Sign in
        </button>
      </form>
    </main>
  );
};
