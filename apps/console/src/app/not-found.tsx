import Link from 'next/link';

export default function NotFound() {
  return (
    <main className="full-page-state">
      <div className="panel narrow">
        <h1>Page not found</h1>
        <p className="muted">There is no console page at this address.</p>
        <Link className="button button-primary" href="/keys">
          Go to API keys
        </Link>
      </div>
    </main>
  );
}
