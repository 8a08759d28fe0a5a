// Turns whatever a call threw into a sentence a person can read.
import { TRPCClientError } from '@trpc/client';

interface Issue {
  path?: (string | number)[];
  message?: string;
}

function issuesText(issues: Issue[]): string {
  return issues
    .map((i) =>
      i.path && i.path.length > 0
        ? `${i.path.join('.')}: ${i.message ?? 'invalid'}`
        : (i.message ?? 'invalid'),
    )
    .join('; ');
}

export function errorMessage(error: unknown): string {
  if (error instanceof TRPCClientError) {
    const data = error.data as
      | {
          zodError?: { fieldErrors?: Record<string, string[]>; formErrors?: string[] } | null;
          issues?: Issue[];
        }
      | undefined;
    if (data?.issues && data.issues.length > 0) return issuesText(data.issues);
    const fieldErrors = data?.zodError?.fieldErrors;
    if (fieldErrors && Object.keys(fieldErrors).length > 0) {
      return Object.entries(fieldErrors)
        .map(([field, messages]) => `${field}: ${messages.join(', ')}`)
        .join('; ');
    }
    const message = error.message;
    // tRPC's default message for an input validation error is the issues as JSON.
    if (message.startsWith('[')) {
      try {
        const parsed = JSON.parse(message) as Issue[];
        if (Array.isArray(parsed)) return issuesText(parsed);
      } catch {
        /* not JSON: show it as it is */
      }
    }
    if (message === 'Failed to fetch' || message.includes('fetch failed')) {
      return 'Cannot reach the FlowPOS backend. Check that it is running.';
    }
    if (/^Unexpected token|is not valid JSON/.test(message)) {
      return 'The FlowPOS backend answered with something unexpected. Check that it is running.';
    }
    return message || 'Something went wrong.';
  }
  if (error instanceof Error) return error.message || 'Something went wrong.';
  return 'Something went wrong.';
}
