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

const FIELDS = [
  { id: 'email', label: 'Email', type: 'email', autoComplete: 'username' },
  { id: 'password', label: 'Password', type: 'password', autoComplete: 'current-password' },
] as const;
type Field = (typeof FIELDS)[number]['id'];

function SignInForm() {
  const { state, signIn } = useAuth();
  const router = useRouter();
  const next = safeNextPath(useSearchParams().get('next'));
  const [values, setValues] = useState<Record<Field, string>>({ email: '', password: '' });
  const [errors, setErrors] = useState<Partial<Record<Field | 'form', string>>>({});
  const [pending, setPending] = useState(false);

  useEffect(() => {
    if (state.status === 'signed-in') router.replace(next);
  }, [state.status, router, next]);

  async function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const email = values.email.trim();
    const found: typeof errors = {};
    if (!email) found.email = 'Enter your email address.';
    else if (!/^[^\s@]+@[^\s@]+$/.test(email)) found.email = 'Enter a valid email address.';
    if (!values.password) found.password = 'Enter your password.';
    setErrors(found);
    if (found.email || found.password) return;
    setPending(true);
    try {
      await signIn(email, values.password);
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
      {FIELDS.map((field) => (
        <TextField
          key={field.id}
          {...field}
          value={values[field.id]}
          onChange={(e) => setValues({ ...values, [field.id]: e.target.value })}
          error={errors[field.id]}
        />
      ))}
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
