import type { EventId, EventStore, StreamId } from '@modelcontextprotocol/sdk/server/streamableHttp.js';
import type { JSONRPCMessage } from '@modelcontextprotocol/sdk/types.js';

// PLACEHOLDER, replaced by the real store (issue 7's "Resumable" bullet is another helper's): same API, but unbounded
// (the limits are accepted and ignored) and only as clever as the HTTP transport needs to run.

export interface EventStoreLimits {
  readonly maxEventsPerSession: number;
  readonly maxEvents: number;
}

interface StoredEvent {
  readonly id: EventId;
  readonly streamId: StreamId;
  readonly message: JSONRPCMessage;
}

export class BoundedEventStore {
  private readonly sessions = new Map<string, StoredEvent[]>();
  private next = 0;

  constructor(readonly limits: EventStoreLimits) {}

  /** The SDK EventStore for one session; onResumeLoss is called when a client resumes from an evicted id. */
  forSession(sessionId: string, onResumeLoss: () => void): EventStore {
    const events: StoredEvent[] = [];
    this.sessions.set(sessionId, events);
    return {
      storeEvent: async (streamId, message) => {
        const id = `${sessionId}_${++this.next}`;
        events.push({ id, streamId, message });
        return id;
      },
      getStreamIdForEventId: async (eventId) => events.find((e) => e.id === eventId)?.streamId,
      replayEventsAfter: async (lastEventId, { send }) => {
        const at = events.findIndex((e) => e.id === lastEventId);
        if (at < 0) {
          onResumeLoss();
          return '_GET_stream';
        }
        const streamId = events[at]!.streamId;
        for (const event of events.slice(at + 1)) if (event.streamId === streamId) await send(event.id, event.message);
        return streamId;
      },
    };
  }

  dropSession(sessionId: string): void {
    this.sessions.delete(sessionId);
  }
}
