package dev.vlflow.operators.session;

import dev.vlflow.engine.VlSession;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Sessions kept decoded in memory, least recently used first out. Only a cache of the keyed state: every change is
 * written to state before it is put here, and a session missing here is rebuilt from its pages.
 */
final class LiveSessions {

    private final LinkedHashMap<String, VlSession> sessions;

    LiveSessions(int capacity) {
        this.sessions = new LinkedHashMap<>(16, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, VlSession> eldest) {
                return size() > capacity;
            }
        };
    }

    Optional<VlSession> get(String streamId) {
        return Optional.ofNullable(sessions.get(streamId));
    }

    void put(String streamId, VlSession session) {
        sessions.put(streamId, session);
    }

    void remove(String streamId) {
        sessions.remove(streamId);
    }

    /** Mean KV bytes of the sessions held in memory (0 with none). */
    long meanKvBytes() {
        return sessions.isEmpty() ? 0 : sessions.values().stream().mapToLong(VlSession::kvBytes).sum() / sessions.size();
    }

    int size() {
        return sessions.size();
    }
}
