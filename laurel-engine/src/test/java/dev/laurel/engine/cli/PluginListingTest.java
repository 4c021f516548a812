package dev.laurel.engine.cli;

import dev.laurel.api.Enricher;
import dev.laurel.api.EnricherFactory;
import dev.laurel.api.PluginConfig;
import dev.laurel.api.PluginContext;
import dev.laurel.api.Setting;
import dev.laurel.api.Sink;
import dev.laurel.api.SinkFactory;
import org.junit.jupiter.api.Test;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class PluginListingTest {

    static final class Tagger implements EnricherFactory {
        public String type() {
            return "tagger";
        }

        public String description() {
            return "Adds a tag";
        }

        public List<Setting<?>> settings() {
            return List.of(Setting.string("tag", "The tag to add").required(),
                    Setting.integer("limit", "At most this many").withDefault(5L),
                    Setting.choice("mode", "How", "fast", "slow").withDefault("fast"));
        }

        public List<String> requires() {
            return List.of("hex-decoder");
        }

        public Enricher create(PluginConfig config, PluginContext context) {
            return event -> { };
        }
    }

    static final class Nowhere implements SinkFactory {
        public String type() {
            return "nowhere";
        }

        public String description() {
            return "Forgets every event";
        }

        public List<Setting<?>> settings() {
            return List.of();
        }

        public Sink create(PluginConfig config, PluginContext context) {
            return event -> { };
        }
    }

    @Test
    void listsEveryTypeWithItsOriginAndOptions() {
        StringWriter text = new StringWriter();
        PluginListing.print(Map.of("tagger", new Tagger()), Map.of("nowhere", new Nowhere()),
                Map.of("laurel", new dev.laurel.engine.json.LaurelFormatFactory()), null, new PrintWriter(text));

        assertThat(text.toString()).contains(
                "Enrichers:\n  tagger - Adds a tag\n    from: built-in (",
                "    requires earlier in the chain: hex-decoder\n",
                "      tag (string, required)\n          The tag to add\n",
                "      limit (integer, default 5)\n",
                "      mode (choice of fast|slow, default fast)\n",
                "Sinks:\n  nowhere - Forgets every event\n",
                "    options: none\n",
                "Formats (a sink's format:, laurel unless it says otherwise):\n  laurel - LAUREL's JSON");
    }

    @Test
    void saysSoWhenAKindHasNoPlugins() {
        StringWriter text = new StringWriter();
        PluginListing.print(Map.of(), Map.of(), Map.of(), null, new PrintWriter(text));
        assertThat(text.toString()).isEqualTo("Enrichers:\n  (none)\n\nSinks:\n  (none)\n\n"
                + "Formats (a sink's format:, laurel unless it says otherwise):\n  (none)\n");
    }
}
