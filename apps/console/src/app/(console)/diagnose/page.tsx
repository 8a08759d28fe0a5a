'use client';
// Diagnose: paste a key (or its prefix), an MCP or OAuth access token, a
// session id or an OAuth client id; the server answers from live state with
// the runbook's symptom, why it applies and the recovery step. The value is
// sent once in a POST body, kept in no URL and cleared from the form after.
import { useMutation } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { FormError, TextField } from '@/components/field';
import { PageHeader } from '@/components/states';
import { DiagnosisView } from '@/components/diagnosis-view';
import { errorMessage } from '@/lib/errors';
import { useTRPC } from '@/lib/trpc';

export default function DiagnosePage() {
  const trpc = useTRPC();
  const [value, setValue] = useState('');
  const [tool, setTool] = useState('');
  const run = useMutation(trpc.diagnose.run.mutationOptions());

  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (!value.trim()) return;
    run.mutate({ value, ...(tool.trim() ? { tool: tool.trim() } : {}) });
    // A pasted secret does not stay on the screen.
    setValue('');
  };

  return (
    <>
      <PageHeader
        title="Diagnose"
        description="Paste what a client uses or shows — an API key or its prefix, an MCP access token, an OAuth access token, a session id or an OAuth client id — and get the runbook's answer from live state. Secrets are hashed on arrival and never stored."
      />
      <form className="panel diagnose-form" onSubmit={submit} aria-label="Value to diagnose">
        <TextField
          id="diagnose-value"
          label="Key, token, session id or client id"
          type="password"
          autoComplete="off"
          spellCheck={false}
          value={value}
          onChange={(e) => setValue(e.target.value)}
          hint="Shown as dots; cleared once sent."
        />
        <TextField
          id="diagnose-tool"
          type="text"
          label="Tool that is missing or refused (optional)"
          autoComplete="off"
          spellCheck={false}
          placeholder="e.g. create_sale_intent"
          value={tool}
          onChange={(e) => setTool(e.target.value)}
        />
        <FormError error={run.error ? errorMessage(run.error) : null} />
        <button type="submit" className="button button-primary" disabled={run.isPending}>
          {run.isPending ? 'Diagnosing…' : 'Diagnose'}
        </button>
      </form>
      {run.data?.diagnoses.map((d, i) => (
        <DiagnosisView key={`${d.label}-${i}`} diagnosis={d} />
      ))}
    </>
  );
}
