package dev.laurel.engine.config;

import java.util.ArrayList;
import java.util.List;

/** What the test plugins did, in order, so tests can see creation and close order. */
final class ChainRecorder {
    private static final List<String> EVENTS = new ArrayList<>();

    private ChainRecorder() {
    }

    static synchronized void record(String event) {
        EVENTS.add(event);
    }

    static synchronized List<String> events() {
        return List.copyOf(EVENTS);
    }

    static synchronized void clear() {
        EVENTS.clear();
    }
}
