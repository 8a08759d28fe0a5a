'use client';
// A form validated with the zod schema the server parses its input with
// (@flowpos/core/schemas): the same rules and messages before sending, and
// the server's own field issues placed next to their fields when it refuses.
import { useMutation, type UseMutationOptions } from '@tanstack/react-query';
import { TRPCClientError } from '@trpc/client';
import { useState, type FormEvent } from 'react';
import type { z } from 'zod';
import { errorMessage } from './errors';

/** Messages by field (the first issue of each); `form` holds the rest. */
export type FieldErrors<Field extends string> = Partial<Record<Field | 'form', string>>;

interface Issue {
  path: PropertyKey[] | string;
  message: string;
}

function byField<Field extends string>(fields: readonly Field[], issues: readonly Issue[]) {
  const out: FieldErrors<Field> = {};
  for (const issue of issues) {
    const first = Array.isArray(issue.path) ? issue.path[0] : issue.path.split('.')[0];
    const field = fields.find((f) => f === String(first));
    if (field) out[field] ??= issue.message;
    else out.form = out.form ? `${out.form}; ${issue.message}` : issue.message;
  }
  return out;
}

/** A refusal from the server: its field issues (BAD_REQUEST) by field, anything else on top. */
function serverErrors<Field extends string>(fields: readonly Field[], error: unknown) {
  if (error instanceof TRPCClientError) {
    const issues = (error.data as { issues?: Issue[] } | undefined)?.issues;
    if (issues && issues.length > 0) return byField(fields, issues);
  }
  return { form: errorMessage(error) } as FieldErrors<Field>;
}

export function useSchemaForm<
  Field extends string,
  TData,
  TError,
  TVariables,
  TParsed extends TVariables,
>({
  schema,
  fields,
  mutation,
}: {
  schema: z.ZodType<TParsed>;
  /** The fields shown with their own message. */
  fields: readonly Field[];
  /** The mutation's options, with what to do on success. */
  mutation: UseMutationOptions<TData, TError, TVariables>;
}) {
  const [errors, setErrors] = useState<FieldErrors<Field>>({});
  const send = useMutation({
    ...mutation,
    onError: (error) => setErrors(serverErrors(fields, error)),
  });
  /** Validates `raw` (plus any `more` the schema cannot know) and sends it when it is valid. */
  function submit(raw: unknown, more: FieldErrors<Field> = {}) {
    const parsed = schema.safeParse(raw);
    const found = { ...(parsed.success ? {} : byField(fields, parsed.error.issues)), ...more };
    setErrors(found);
    if (parsed.success && Object.keys(found).length === 0) send.mutate(parsed.data);
  }
  return {
    errors,
    pending: send.isPending,
    submit,
    /** A form's onSubmit that submits what `raw` returns. */
    handleSubmit: (raw: () => unknown) => (event: FormEvent) => {
      event.preventDefault();
      submit(raw());
    },
  };
}
