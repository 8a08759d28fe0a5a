'use client';
// "Hide revoked keys" on the keys list, remembered in the URL (?revoked=hide)
// so a reload or a shared link shows the same list.
import { useUrlState } from '@/lib/url-state';
import { CheckboxField } from './field';

const KEYS = ['revoked'] as const;

export function useRevokedKeysFilter() {
  const [url, setUrl] = useUrlState(KEYS);
  const hide = url.revoked === 'hide';
  return {
    visible: <Row extends { status: string }>(rows: Row[]) =>
      hide ? rows.filter((r) => r.status !== 'revoked') : rows,
    toggle(rows: readonly { status: string }[] | undefined) {
      const count = rows?.filter((r) => r.status === 'revoked').length ?? 0;
      return (
        <div className="filters">
          <CheckboxField
            label={`Hide revoked keys${count ? ` (${count})` : ''}`}
            checked={hide}
            onChange={(checked) => setUrl({ revoked: checked ? 'hide' : '' })}
          />
        </div>
      );
    },
  };
}
