'use client';
// One API key's page: its sections (limits and caps; others join here).
import Link from 'next/link';
import { useParams } from 'next/navigation';
import { CredentialLimitsSection } from '@/components/credential-limits-section';
import { PageHeader } from '@/components/states';

export default function KeyPage() {
  const { keyId } = useParams<{ keyId: string }>();
  return (
    <>
      <PageHeader title="API key" description="What this key may do, and how much of it today." />
      <p>
        <Link href="/keys">All keys</Link>
      </p>
      <CredentialLimitsSection target={{ keyId }} />
    </>
  );
}
