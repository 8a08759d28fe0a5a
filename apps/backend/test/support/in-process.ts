// Stand-ins for in-process unit tests of the session transport: an EventStore
// in memory (the Redis one is tested against Redis elsewhere) and the part of
// a ServerResponse an SSE stream writes to.
import { EventEmitter } from 'node:events';
import type { ServerResponse } from 'node:http';
import type { EventStore, JSONRPCMessage } from '@modelcontextprotocol/server';

export class MemoryEventStore implements EventStore {
  readonly events: { id: string; streamId: string; message: JSONRPCMessage }[] = [];

  async storeEvent(streamId: string, message: JSONRPCMessage): Promise<string> {
    const id = `${streamId}#${this.events.length + 1}`;
    this.events.push({ id, streamId, message });
    return id;
  }

  async replayEventsAfter(
    lastEventId: string,
    { send }: { send: (id: string, message: JSONRPCMessage) => Promise<void> },
  ): Promise<string> {
    const at = this.events.findIndex((e) => e.id === lastEventId);
    if (at === -1) throw new Error(`unknown event ${lastEventId}`);
    const { streamId } = this.events[at]!;
    // Live over the list, as a Redis stream read is: what is stored during the
    // replay is replayed too (the transport must not write it twice).
    for (let i = at + 1; i < this.events.length; i++) {
      const event = this.events[i]!;
      if (event.streamId === streamId) await send(event.id, event.message);
    }
    return streamId;
  }
}

/** What an SSE stream wrote, as text, and whether it was ended. */
export class SseResponse extends EventEmitter {
  text = '';
  ended = false;

  write(chunk: string): boolean {
    this.text += chunk;
    return true;
  }

  end(): this {
    this.ended = true;
    this.emit('close');
    return this;
  }

  /** The data lines of the `event: message` events written so far, parsed. */
  messages(): unknown[] {
    return [...this.text.matchAll(/^event: message\nid: .*\ndata: (.*)$/gm)].map((m) =>
      JSON.parse(m[1]!),
    );
  }

  asServerResponse(): ServerResponse {
    return this as unknown as ServerResponse;
  }
}
