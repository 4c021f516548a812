package dev.laurel.engine.pipeline;

import dev.laurel.api.Enricher;
import dev.laurel.api.Sink;

import java.util.List;

/** Chains for tests: every sink takes the kept events, plugins are named by their classes, nobody closes them. */
final class TestChain {
    private TestChain() {
    }

    static Pipeline.Chain of(List<Enricher> enrichers, List<Sink> sinks) {
        return new Pipeline.Chain(enrichers, sinks, List.of(), () -> { });
    }
}
