// The `subscriptions/listen` streams (MCP 2026-07-28) this instance holds, per
// credential. The SDK's listen router serves the streams; this module is the
// event bus it subscribes them to (`ServerEventBus`), so each subscription is
// known with the credential that opened it:
// - a credential holds at most `maxPerCredential` streams here, and a business
//   (the one active when the stream opens) `maxPerBusiness`, so one tenant,
//   however many keys it makes, cannot take the instance's whole stream
//   budget (`maxStreams`, the SDK's cap);
// - a stream is checked against its credential again when the credential may
//   have changed (domain events), at its expiry, and every `recheckMs`: a
//   credential that no longer authenticates (revoked, expired, no business
//   left) has its streams closed;
// - a list_changed notification goes only to a stream whose visible tools
//   (prompts, resources) changed, never to every listener: other tenants'
//   changes give no signal.
import { AsyncLocalStorage } from 'node:async_hooks';
import {
  keyCredentialId,
  offersPromptsAndResources,
  type DomainEvent,
  type Principal,
  type ToolRegistry,
} from '@flowpos/core';
import type { ServerEvent, ServerEventBus } from '@modelcontextprotocol/server';
import type { Authenticated } from '../shared/authenticated.ts';

type Listener = (event: ServerEvent) => void;

export interface ListenStream {
  credential: string;
  /** The business it counts against (active when it opened). */
  businessId: string;
  principal: Principal;
  /** What the stream's client may see now: tools, and whether prompts and resources. */
  visible: { tools: string; promptsAndResources: boolean };
  /** Aborting it ends the exchange (the SDK then closes the stream). */
  readonly abort: AbortController;
  readonly listeners: Set<Listener>;
  expiryTimer: ReturnType<typeof setTimeout> | undefined;
}

export interface ListenStreamsOptions {
  registry: ToolRegistry;
  /** The credential as it authenticates now (null: refused), from the stream's own Authorization header. */
  authenticate(stream: ListenStream): Promise<Authenticated | null>;
  maxPerCredential: number;
  maxPerBusiness: number;
  /** How often every open stream is checked again (ms). */
  recheckMs: number;
  onError?: (error: unknown) => void;
}

export class ListenStreams implements ServerEventBus {
  private readonly byCredential = new Map<string, Set<ListenStream>>();
  private readonly perBusiness = new Map<string, number>();
  /** Listeners subscribed outside any stream's exchange (none expected): broadcast only. */
  private readonly unattributed = new Set<Listener>();
  private readonly opening = new AsyncLocalStorage<ListenStream>();
  private readonly sweep: ReturnType<typeof setInterval>;
  private sweeping: Promise<void> | undefined;
  private sweepAgain = false;

  private readonly options: ListenStreamsOptions;
  constructor(options: ListenStreamsOptions) {
    this.options = options;
    this.sweep = setInterval(() => this.recheckAll(), options.recheckMs);
    this.sweep.unref();
  }

  get openCount(): number {
    let count = 0;
    for (const streams of this.byCredential.values()) count += streams.size;
    return count;
  }

  /**
   * Admits a new stream for `auth` (its principal as the request sees it),
   * or says which share is used up. `serve` runs the exchange; the stream is
   * released when it ends.
   */
  async open(
    auth: Authenticated,
    serve: (stream: ListenStream) => Promise<void>,
  ): Promise<'served' | 'credential_full' | 'business_full'> {
    const streams = this.byCredential.get(auth.credential) ?? new Set<ListenStream>();
    if (streams.size >= this.options.maxPerCredential) return 'credential_full';
    const businessId = auth.principal.activeBusinessId;
    const inBusiness = this.perBusiness.get(businessId) ?? 0;
    if (inBusiness >= this.options.maxPerBusiness) return 'business_full';
    const stream: ListenStream = {
      credential: auth.credential,
      businessId,
      principal: auth.principal,
      visible: this.visibleTo(auth.principal),
      abort: new AbortController(),
      listeners: new Set(),
      expiryTimer: undefined,
    };
    streams.add(stream);
    this.byCredential.set(auth.credential, streams);
    this.perBusiness.set(businessId, inBusiness + 1);
    this.armExpiry(stream, auth.expiresAt);
    try {
      await this.opening.run(stream, () => serve(stream));
    } finally {
      this.release(stream);
    }
    return 'served';
  }

  // ServerEventBus: the SDK's listen router subscribes each stream while its exchange runs.
  subscribe(listener: Listener): () => void {
    const stream = this.opening.getStore();
    const owner = stream ? stream.listeners : this.unattributed;
    owner.add(listener);
    return () => owner.delete(listener);
  }

  /** Broadcast to every listener: not used for rights changes (they are per stream). */
  publish(event: ServerEvent): void {
    for (const streams of this.byCredential.values()) {
      for (const stream of streams) this.deliver(stream, event);
    }
    for (const listener of this.unattributed) this.call(listener, event);
  }

  /** Domain events: re-checks only the streams the event may concern. */
  onEvent(event: DomainEvent): void {
    switch (event.type) {
      case 'key.changed':
        this.recheck(this.streamsOf(keyCredentialId(event.keyId)));
        return;
      case 'user.changed':
        this.recheck(this.all().filter((s) => s.principal.userId === event.userId));
        return;
      case 'credential.changed':
        this.recheck(this.streamsOf(event.credential));
        return;
      case 'resync':
        this.recheckAll();
        return;
      default:
        return;
    }
  }

  close(): void {
    clearInterval(this.sweep);
    for (const stream of this.all()) stream.abort.abort();
  }

  /**
   * Every stream, one after the other: a sweep of a full instance is spread
   * out instead of asking the database about every credential at once.
   */
  private recheckAll(): void {
    // Asked again during a sweep: one more sweep after it (the streams it checked may be stale).
    if (this.sweeping) {
      this.sweepAgain = true;
      return;
    }
    this.sweeping = (async () => {
      for (const stream of this.all()) {
        await this.recheckOne(stream).catch((error: unknown) => this.options.onError?.(error));
      }
    })().finally(() => {
      this.sweeping = undefined;
      if (this.sweepAgain) {
        this.sweepAgain = false;
        this.recheckAll();
      }
    });
  }

  private recheck(streams: ListenStream[]): void {
    for (const stream of streams) {
      this.recheckOne(stream).catch((error: unknown) => this.options.onError?.(error));
    }
  }

  private async recheckOne(stream: ListenStream): Promise<void> {
    // After the event's other subscribers (the credential caches) have run.
    await Promise.resolve();
    if (stream.abort.signal.aborted) return;
    const auth = await this.options.authenticate(stream);
    if (!auth || auth.credential !== stream.credential) {
      stream.abort.abort();
      return;
    }
    stream.principal = auth.principal;
    this.armExpiry(stream, auth.expiresAt);
    const before = stream.visible;
    const after = this.visibleTo(auth.principal);
    stream.visible = after;
    if (after.tools !== before.tools) this.deliver(stream, { kind: 'tools_list_changed' });
    if (after.promptsAndResources !== before.promptsAndResources) {
      this.deliver(stream, { kind: 'prompts_list_changed' });
      this.deliver(stream, { kind: 'resources_list_changed' });
    }
  }

  private visibleTo(principal: Principal): ListenStream['visible'] {
    return {
      tools: this.options.registry
        .listFor(principal)
        .map((t) => t.name)
        .join(','),
      promptsAndResources: offersPromptsAndResources(principal),
    };
  }

  /** The stream ends when its credential does (a key's expiry, say), not a sweep later. */
  private armExpiry(stream: ListenStream, expiresAt: number | undefined): void {
    if (stream.expiryTimer) clearTimeout(stream.expiryTimer);
    stream.expiryTimer = undefined;
    if (expiresAt === undefined) return;
    // setTimeout holds at most ~24.8 days; a later expiry is caught by a later check.
    const delay = Math.min(Math.max(expiresAt - Date.now(), 0), 2 ** 31 - 1);
    stream.expiryTimer = setTimeout(() => this.recheck([stream]), delay);
    stream.expiryTimer.unref();
  }

  private deliver(stream: ListenStream, event: ServerEvent): void {
    for (const listener of stream.listeners) this.call(listener, event);
  }

  private call(listener: Listener, event: ServerEvent): void {
    try {
      listener(event);
    } catch (error) {
      this.options.onError?.(error);
    }
  }

  private release(stream: ListenStream): void {
    if (stream.expiryTimer) clearTimeout(stream.expiryTimer);
    stream.listeners.clear();
    const streams = this.byCredential.get(stream.credential);
    if (!streams?.delete(stream)) return;
    if (streams.size === 0) this.byCredential.delete(stream.credential);
    const left = (this.perBusiness.get(stream.businessId) ?? 1) - 1;
    if (left > 0) this.perBusiness.set(stream.businessId, left);
    else this.perBusiness.delete(stream.businessId);
  }

  private streamsOf(credential: string): ListenStream[] {
    return [...(this.byCredential.get(credential) ?? [])];
  }

  private all(): ListenStream[] {
    return [...this.byCredential.values()].flatMap((streams) => [...streams]);
  }
}
