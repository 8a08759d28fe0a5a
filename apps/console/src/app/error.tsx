'use client';
// Last resort for a rendering error: a readable message, never a blank page.
import { useEffect } from 'react';

export default function ErrorPage({
  error,
  reset,
}: {
  error: Error & { digest?: string };
  reset(): void;
}) {
  useEffect(() => {
    console.error(error);
  }, [error]);
  return (
    <main className="full-page-state">
      <div className="panel narrow" role="alert">
        <h1>Something went wrong</h1>
        <p className="muted">{error.message || 'The page failed to render.'}</p>
        <div className="button-row">
          <button type="button" className="button button-primary" onClick={reset}>
            Try again
          </button>
          <a className="button" href="/keys">
            Back to the console
          </a>
        </div>
      </div>
    </main>
  );
}
