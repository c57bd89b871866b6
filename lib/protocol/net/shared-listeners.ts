/**
 * Listeners that jobs running at the same time share, one per port (a second bind would fail
 * with EADDRINUSE): the first job to acquire a port opens its listener, the last to release it
 * shuts it. The HTTP-01 standalone and TLS-ALPN-01 responders are built on it.
 *
 * The open listeners live on globalThis under `globalKey`, so that every copy of the module
 * (a dev reload, another bundle) sees the same ones.
 */

export interface ListenerLease<L> {
  readonly listener: L;
  /** Gives the listener back; the last release shuts it. Later calls do nothing. */
  release(): Promise<void>;
}

export interface SharedListeners<L> {
  acquire(port: number): Promise<ListenerLease<L>>;
  /** Whether a job of this process holds the listener on `port` right now. */
  isOpen(port: number): boolean;
}

interface Shared<L> {
  listener: L;
  users: number;
}

export function sharedListeners<L>(
  globalKey: string,
  { open, shut }: { open: (port: number) => Promise<L>; shut: (listener: L) => Promise<void> },
): SharedListeners<L> {
  const registry = globalThis as unknown as Record<string, Map<number, Promise<Shared<L>>> | undefined>;
  const listeners = (registry[globalKey] ??= new Map());
  return {
    isOpen: (port) => listeners.has(port),
    async acquire(port) {
      let pending = listeners.get(port);
      if (!pending) {
        pending = open(port).then((listener) => ({ listener, users: 0 }));
        listeners.set(port, pending);
        pending.catch(() => listeners.delete(port));
      }
      const shared = await pending;
      shared.users += 1;
      let isReleased = false;
      return {
        listener: shared.listener,
        async release() {
          if (isReleased) return;
          isReleased = true;
          shared.users -= 1;
          if (shared.users > 0) return;
          listeners.delete(port);
          await shut(shared.listener);
        },
      };
    },
  };
}
