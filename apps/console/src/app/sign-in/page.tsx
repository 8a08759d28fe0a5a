'use client';
// Email/password sign-in against Firebase Auth; the only page a signed-out
// visitor can see.
import { useRouter, useSearchParams } from 'next/navigation';
import { Suspense, useEffect, useState, type FormEvent } from 'react';
import { FormError, TextField } from '@/components/field';
import { Loading } from '@/components/states';
import { useAuth } from '@/lib/auth';
import { signInErrorMessage } from '@/lib/firebase';
import { safeNextPath } from '@/lib/safe-next';

function SignInForm() {
  const { state, signIn } = useAuth();
  const router = useRouter();
  const next = safeNextPath(useSearchParams().get('next'));
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [errors, setErrors] = useState<{ email?: string; password?: string; form?: string }>({});
  const [pending, setPending] = useState(false);

  useEffect(() => {
    if (state.status === 'signed-in') router.replace(next);
  }, [state.status, router, next]);

  async function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const found: typeof errors = {};
    if (!email.trim()) found.email = 'Enter your email address.';
    else if (!/^[^\s@]+@[^\s@]+$/.test(email.trim())) found.email = 'Enter a valid email address.';
    if (!password) found.password = 'Enter your password.';
    setErrors(found);
    if (found.email || found.password) return;
    setPending(true);
    try {
      await signIn(email.trim(), password);
    } catch (error) {
      setErrors({ form: signInErrorMessage(error) });
      setPending(false);
    }
  }

  if (state.status === 'loading' || state.status === 'signed-in') {
    return <Loading label={state.status === 'signed-in' ? 'Signing you in…' : 'Loading…'} />;
  }

  return (
    <form className="sign-in-form" onSubmit={onSubmit} noValidate aria-labelledby="sign-in-title">
      <h1 id="sign-in-title">Sign in</h1>
      <p className="muted">Use your FlowPOS account to manage MCP access for your business.</p>
      <FormError error={errors.form} />
      <TextField
        id="email"
        label="Email"
        type="email"
        autoComplete="username"
        value={email}
        onChange={(e) => setEmail(e.target.value)}
        error={errors.email}
      />
      <TextField
        id="password"
        label="Password"
        type="password"
        autoComplete="current-password"
        value={password}
        onChange={(e) => setPassword(e.target.value)}
        error={errors.password}
      />
      <button type="submit" className="button button-primary button-block" disabled={pending}>
        {pending ? 'Signing in…' : 'Sign in'}
      </button>
    </form>
  );
}

export default function SignInPage() {
  return (
    <main className="sign-in-page">
      <div className="sign-in-card">
        <div className="brand brand-large">
          <span className="brand-mark" aria-hidden="true">
            F
          </span>
          FlowPOS Console
        </div>
        <Suspense fallback={<Loading />}>
          <SignInForm />
        </Suspense>
      </div>
    </main>
  );
}
