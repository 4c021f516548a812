package dev.laurel.plugins.translate;

import dev.laurel.api.PluginContext;

import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;

/** A plugin context with a clock the test moves by hand. */
final class TestContext implements PluginContext, InstantSource {
    private Instant now = Instant.parse("2026-11-25T12:00:00Z");

    void advance(Duration d) {
        now = now.plus(d);
    }

    @Override
    public Instant instant() {
        return now;
    }

    @Override
    public System.Logger logger() {
        return System.getLogger("translate-test");
    }

    @Override
    public InstantSource clock() {
        return this;
    }
}
