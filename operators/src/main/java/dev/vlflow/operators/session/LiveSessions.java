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

    int size() {
        return sessions.size();
    }
}
