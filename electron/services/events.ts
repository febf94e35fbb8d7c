import { EventEmitter } from 'node:events';
import type { EventName, EventPayload } from '../../shared/contract';

const ANY = Symbol('any-event');

/** Typed fan-out of main-side events to whoever transports them (IPC, WebSocket, tests). */
export class EventBus {
  private readonly emitter = new EventEmitter();

  constructor() {
    this.emitter.setMaxListeners(100);
  }

  emit<E extends EventName>(event: E, payload: EventPayload<E>): void {
    this.emitter.emit(event, payload);
    this.emitter.emit(ANY, event, payload);
  }

  on<E extends EventName>(event: E, listener: (payload: EventPayload<E>) => void): () => void {
    this.emitter.on(event, listener);
    return () => this.emitter.off(event, listener);
  }

  /** Every event, for transports that forward all of them. */
  onAny(listener: (event: EventName, payload: unknown) => void): () => void {
    this.emitter.on(ANY, listener);
    return () => this.emitter.off(ANY, listener);
  }
}
