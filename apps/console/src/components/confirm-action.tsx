'use client';
// A row action that asks first (revoke a key, end a session…): which row is
// being confirmed, the mutation that acts on it, and its dialog. `input`
// turns the row into the mutation's input; on success the dialog closes and
// `onDone` gets the result and the row.
import { useMutation, type UseMutationOptions } from '@tanstack/react-query';
import { useRef, useState, type ReactNode } from 'react';
import { errorMessage } from '@/lib/errors';
import { ConfirmDialog } from './modal';

export interface ConfirmedAction<Row> {
  /** The row being confirmed, or null while no dialog is open. */
  target: Row | null;
  ask(row: Row): void;
  close(): void;
  confirm(): void;
  pending: boolean;
  error: string | null;
}

export function useConfirmedAction<Row, TData, TError, TVariables, TContext>(
  options: UseMutationOptions<TData, TError, TVariables, TContext>,
  input: (row: Row) => TVariables,
  onDone: (result: TData, row: Row) => unknown,
): ConfirmedAction<Row> {
  const [target, setTarget] = useState<Row | null>(null);
  // The row as it was asked about, even if the dialog closes before the answer.
  const asked = useRef<Row | null>(null);
  const mutation = useMutation({
    ...options,
    onSuccess: async (result) => {
      setTarget(null);
      if (asked.current !== null) await onDone(result, asked.current);
    },
  });
  return {
    target,
    ask(row) {
      mutation.reset();
      asked.current = row;
      setTarget(row);
    },
    close: () => setTarget(null),
    confirm() {
      if (target !== null) mutation.mutate(input(target));
    },
    pending: mutation.isPending,
    error: mutation.error ? errorMessage(mutation.error) : null,
  };
}

/** The confirmation dialog of an action, shown while a row is being confirmed. */
export function ConfirmAction<Row>({
  action,
  title,
  confirmLabel,
  danger,
  children,
}: {
  action: ConfirmedAction<Row>;
  title: string | ((row: Row) => string);
  confirmLabel: string | ((row: Row) => string);
  danger?: boolean | ((row: Row) => boolean);
  children(row: Row): ReactNode;
}) {
  const row = action.target;
  if (row === null) return null;
  const of = <T,>(value: T | ((row: Row) => T)): T =>
    typeof value === 'function' ? (value as (row: Row) => T)(row) : value;
  return (
    <ConfirmDialog
      title={of(title)}
      confirmLabel={of(confirmLabel)}
      danger={of(danger)}
      pending={action.pending}
      error={action.error}
      onClose={action.close}
      onConfirm={action.confirm}
    >
      {children(row)}
    </ConfirmDialog>
  );
}
