'use client';
// Notices after an action ("Key revoked", "Settings saved"): one at a time, a
// new one replaces the last. A notice stays until it is dismissed, replaced or
// the page changes, so nothing disappears before it is read.
import { usePathname } from 'next/navigation';
import { useMutation, type UseMutationOptions } from '@tanstack/react-query';
import { useCallback, useEffect, useState, type ReactNode } from 'react';
import { errorMessage } from '@/lib/errors';
import { requiredContext } from '@/lib/required-context';

type Kind = 'success' | 'error';
type Notify = (text: string, kind?: Kind) => void;

const [ToastContext, useNotify] = requiredContext<Notify>('useToast');

export function ToastProvider({ children }: { children: ReactNode }) {
  const [toast, setToast] = useState<{ id: number; kind: Kind; text: string } | null>(null);
  const pathname = usePathname();
  useEffect(() => setToast(null), [pathname]);
  const notify = useCallback<Notify>(
    (text, kind = 'success') => setToast((last) => ({ id: (last?.id ?? 0) + 1, kind, text })),
    [],
  );

  return (
    <ToastContext value={notify}>
      {children}
      <section className="toasts" aria-label="Notices">
        {toast && (
          <div key={toast.id} className={`toast alert alert-${toast.kind}`}>
            <p role={toast.kind === 'error' ? 'alert' : 'status'}>{toast.text}</p>
            <button
              type="button"
              className="icon-button"
              aria-label="Dismiss notice"
              onClick={() => setToast(null)}
            >
              ×
            </button>
          </div>
        )}
      </section>
    </ToastContext>
  );
}

/** `notify(text)` for a success, `notify(text, 'error')` for a failure. */
export const useToast = useNotify;

/**
 * A mutation that says how it went: `success(result)` as a notice, then
 * `after()` (e.g. refetch what changed); a failure's message as an error notice.
 */
export function useNotifyingMutation<TData, TError, TVariables, TContext>(
  options: UseMutationOptions<TData, TError, TVariables, TContext>,
  success: (result: TData) => string,
  after?: () => Promise<unknown>,
) {
  const notify = useNotify();
  return useMutation({
    ...options,
    onSuccess: async (result) => {
      notify(success(result));
      await after?.();
    },
    onError: (error) => notify(errorMessage(error), 'error'),
  });
}
