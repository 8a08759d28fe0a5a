'use client';
// The signed-in frame around every page: navigation, business switcher, the
// user's email and sign-out. Signed-out visitors are sent to /sign-in.
import Link from 'next/link';
import { usePathname, useRouter } from 'next/navigation';
import { useEffect, useState, type ReactNode } from 'react';
import { useAuth } from '@/lib/auth';
import { BusinessProvider, useBusiness, useShellData } from '@/lib/business';
import { useCapabilities, type BusinessAction } from '@/lib/capabilities';
import { roleLabel } from '@/lib/format';
import { httpStatusOf } from '@/lib/trpc';
import { SelectField } from './field';
import { Empty, ErrorAlert, Loading } from './states';

interface NavItem {
  href: string;
  label: string;
  /** Shown only to those who may take this action in the selected business. */
  needs?: BusinessAction;
}

const NAV: NavItem[] = [
  { href: '/keys', label: 'Keys' },
  { href: '/sessions', label: 'Sessions' },
  { href: '/tools', label: 'Tools preview' },
  { href: '/connected-apps', label: 'Connected apps' },
  { href: '/intents', label: 'Intents', needs: 'decideIntents' },
  { href: '/audit', label: 'Audit', needs: 'viewAudit' },
  { href: '/usage', label: 'Usage', needs: 'viewUsage' },
  { href: '/members', label: 'Members', needs: 'manageMembers' },
  { href: '/settings', label: 'Settings', needs: 'editSettings' },
  { href: '/diagnose', label: 'Diagnose', needs: 'diagnose' },
];

export function AppShell({ children }: { children: ReactNode }) {
  const { state } = useAuth();
  const router = useRouter();
  const pathname = usePathname();

  useEffect(() => {
    // The query stays part of the way back (an intent link names its business).
    if (state.status === 'signed-out')
      router.replace(`/sign-in?next=${encodeURIComponent(pathname + window.location.search)}`);
  }, [state.status, router, pathname]);

  if (state.status !== 'signed-in') {
    return (
      <main className="full-page-state">
        <Loading label={state.status === 'loading' ? 'Loading…' : 'Redirecting to sign-in…'} />
      </main>
    );
  }
  return <SignedInShell email={state.user.email ?? ''}>{children}</SignedInShell>;
}

function SignOutButton({ className = 'button' }: { className?: string }) {
  const { signOut } = useAuth();
  const [pending, setPending] = useState(false);
  return (
    <button
      type="button"
      className={className}
      disabled={pending}
      onClick={async () => {
        setPending(true);
        try {
          await signOut();
        } finally {
          setPending(false);
        }
      }}
    >
      Sign out
    </button>
  );
}

function SignedInShell({ email, children }: { email: string; children: ReactNode }) {
  const me = useShellData();

  if (me.isPending) {
    return (
      <main className="full-page-state">
        <Loading label="Loading your businesses…" />
      </main>
    );
  }
  if (me.error || !me.data) {
    const failed = me.error;
    const noAccess = httpStatusOf(failed) === 403;
    return (
      <main className="full-page-state">
        <div className="panel narrow">
          <h1>{noAccess ? 'No access' : 'Cannot load the console'}</h1>
          <p className="muted">Signed in as {email}.</p>
          <ErrorAlert error={failed} onRetry={noAccess ? undefined : () => void me.refetch()} />
          <SignOutButton className="button button-primary" />
        </div>
      </main>
    );
  }
  return (
    <BusinessProvider me={me.data}>
      <ShellFrame email={email}>{children}</ShellFrame>
    </BusinessProvider>
  );
}

function BusinessSwitcher() {
  const { businesses, business, setBusinessId } = useBusiness();
  if (businesses.length === 0) return null;
  if (businesses.length === 1) {
    return (
      <div className="business-single">
        <span className="visually-hidden">Business: </span>
        {businesses[0]?.name}
      </div>
    );
  }
  return (
    <SelectField
      id="business-switcher"
      label="Business"
      className="business-switcher"
      value={business?.id ?? ''}
      onChange={setBusinessId}
      choices={businesses.map((b) => ({ value: b.id, label: b.name }))}
    />
  );
}

function ShellFrame({ email, children }: { email: string; children: ReactNode }) {
  const pathname = usePathname();
  const { business } = useBusiness();
  const { role, can } = useCapabilities();
  const items = NAV.filter((item) => !item.needs || can(item.needs));

  return (
    <div className="shell">
      <div className="appbar">
        <header className="topbar">
          <Link href="/keys" className="brand">
            <span className="brand-mark" aria-hidden="true">
              F
            </span>
            <span className="brand-name">FlowPOS Console</span>
          </Link>
          <BusinessSwitcher />
          <div className="topbar-user">
            <span className="user-email" title={email}>
              {email}
            </span>
            {role && <span className="badge badge-role">{roleLabel(role)}</span>}
            <SignOutButton className="button button-small" />
          </div>
        </header>
        <nav className="tabs" aria-label="Main">
          <ul>
            {items.map((item) => {
              const active = pathname === item.href || pathname.startsWith(`${item.href}/`);
              return (
                <li key={item.href}>
                  <Link
                    href={item.href}
                    aria-current={active ? 'page' : undefined}
                    className={active ? 'active' : undefined}
                  >
                    {item.label}
                  </Link>
                </li>
              );
            })}
          </ul>
        </nav>
      </div>
      <main className="content" id="main">
        {business ? (
          children
        ) : (
          <Empty title="No business yet">
            Your account is not an active member of any business. Ask a merchant to add you.
          </Empty>
        )}
      </main>
    </div>
  );
}

/** For pages only merchants (and operators) may use: a clear message instead of a failed request. */
export function MerchantOnly({
  children,
  action,
  what,
}: {
  children: ReactNode;
  action: BusinessAction;
  what: string;
}) {
  const { can } = useCapabilities();
  if (can(action)) return <>{children}</>;
  return <Empty title="Merchants only">Only a merchant of this business can {what}.</Empty>;
}
