'use client';
// A new key's secret, shown once: copy it (or select it where copying is
// blocked) before the dialog closes.
import { useRef, useState } from 'react';
import { roleLabel } from '@/lib/format';
import type { RouterOutputs } from '@/lib/trpc';
import { ConnectSnippets } from './connect-snippets';
import { Modal } from './modal';

export type CreatedKey = RouterOutputs['keys']['create'];

export function SecretDialog({ created, onClose }: { created: CreatedKey; onClose(): void }) {
  const inputRef = useRef<HTMLTextAreaElement>(null);
  const [copyState, setCopyState] = useState<'idle' | 'copied' | 'failed'>('idle');

  async function copy() {
    try {
      await navigator.clipboard.writeText(created.key);
      setCopyState('copied');
    } catch {
      // No clipboard permission: select the text so Ctrl+C works.
      inputRef.current?.select();
      setCopyState('failed');
    }
  }

  return (
    <Modal title="Copy your new API key" onClose={onClose} locked wide>
      <p className="alert alert-warning" role="note">
        This is the only time the full key is shown. Copy it now and store it somewhere safe;
        FlowPOS keeps only a hash of it.
      </p>
      <p>
        Key <strong>{created.name}</strong> ({roleLabel(created.role)}, {created.scopes.join(', ')})
      </p>
      <div className="secret-box">
        <label htmlFor="api-key-secret" className="visually-hidden">
          API key secret
        </label>
        <textarea
          id="api-key-secret"
          ref={inputRef}
          readOnly
          rows={2}
          spellCheck={false}
          value={created.key}
          onFocus={(e) => e.target.select()}
        />
        <button type="button" className="button button-primary" onClick={() => void copy()}>
          {copyState === 'copied' ? 'Copied' : 'Copy'}
        </button>
      </div>
      <p className="muted small" role="status" aria-live="polite">
        {copyState === 'copied'
          ? 'Copied to the clipboard.'
          : copyState === 'failed'
            ? 'Copying is blocked here: the key is selected, press Ctrl+C (⌘C).'
            : 'MCP clients send it as “Authorization: Bearer <key>”.'}
      </p>
      <ConnectSnippets apiKey={created.key} collapsed />
      <div className="modal-actions">
        <button type="button" className="button" onClick={onClose}>
          I have saved the key
        </button>
      </div>
    </Modal>
  );
}
