// How long a rolled key's old secret keeps working (the roll dialog's choices).
export type Overlap = 'none' | '1h' | '1d' | '7d';

export const OVERLAPS: { value: Overlap; label: string }[] = [
  { value: 'none', label: 'No overlap: stop it now' },
  { value: '1h', label: '1 hour' },
  { value: '1d', label: '1 day' },
  { value: '7d', label: '7 days' },
];
