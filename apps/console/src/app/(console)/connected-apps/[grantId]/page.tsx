'use client';
// One connected app's (OAuth grant's) page: its sections (limits and caps; others join here).
import Link from 'next/link';
import { useParams } from 'next/navigation';
import { CredentialLimitsSection } from '@/components/credential-limits-section';
import { PageHeader } from '@/components/states';

export default function ConnectedAppPage() {
  const { grantId } = useParams<{ grantId: string }>();
  return (
    <>
      <PageHeader
        title="Connected app"
        description="What this app may do for its person, and how much of it today."
      />
      <p>
        <Link href="/connected-apps">All connected apps</Link>
      </p>
      <CredentialLimitsSection target={{ grantId: decodeURIComponent(grantId) }} />
    </>
  );
}
