// What a 2025 session keeps of the client's `initialize`: the version the
// server negotiated (not whatever string was asked for), and the client's
// info and capabilities made storable. The session size cap counts exactly
// this, so nothing stored escapes it.
import { storableJson, type StoredInitialize } from '@flowpos/core';
import { LATEST_PROTOCOL_VERSION, SUPPORTED_PROTOCOL_VERSIONS } from '@modelcontextprotocol/server';

/** The version the SDK server answers with: the requested one when supported, else the latest. */
export function negotiatedVersion(requested: unknown): string {
  // The SDK's own string, not the request's copy: every cached session shares it.
  return SUPPORTED_PROTOCOL_VERSIONS.find((v) => v === requested) ?? LATEST_PROTOCOL_VERSION;
}

const asObject = (value: unknown): Record<string, unknown> | undefined =>
  typeof value === 'object' && value !== null && !Array.isArray(value)
    ? (storableJson(value) as Record<string, unknown>)
    : undefined;

export function initializeToStore(params: unknown): StoredInitialize {
  const p = asObject(params) ?? {};
  const clientInfo = asObject(p.clientInfo);
  return {
    protocolVersion: negotiatedVersion(p.protocolVersion),
    capabilities: asObject(p.capabilities) ?? {},
    clientInfo: clientInfo
      ? (clientInfo as StoredInitialize['clientInfo'])
      : { name: 'unknown', version: '' },
  };
}
