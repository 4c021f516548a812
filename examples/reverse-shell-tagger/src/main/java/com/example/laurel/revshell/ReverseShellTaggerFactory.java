package com.example.laurel.revshell;

import dev.laurel.api.ConfigException;
import dev.laurel.api.Enricher;
import dev.laurel.api.EnricherFactory;
import dev.laurel.api.PluginConfig;
import dev.laurel.api.PluginContext;
import dev.laurel.api.Setting;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * A third-party enricher, built against laurel-api alone: tags executions whose command line
 * looks like a reverse shell with MITRE ATT&amp;CK technique T1059 (Command and Scripting
 * Interpreter).
 *
 * <pre>
 * enrichers:
 *   - type: hex-decoder
 *   - type: reverse-shell-tagger
 *     field: THREAT
 *     extra-patterns: ['socat .*exec:']
 * </pre>
 */
public final class ReverseShellTaggerFactory implements EnricherFactory {

    static final Setting<String> FIELD = Setting.string("field",
                    "Top-level field written on a match")
            .withDefault("THREAT")
            .check(s -> s.matches("[A-Z][A-Z0-9_]*"), "must be an upper-case name such as THREAT");
    static final Setting<List<String>> EXTRA_PATTERNS = Setting.stringList("extra-patterns",
                    "More regular expressions, matched against the arguments joined by spaces")
            .withDefault(List.of());

    @Override
    public String type() {
        return "reverse-shell-tagger";
    }

    @Override
    public String description() {
        return "Tags reverse-shell-like executions with ATT&CK technique T1059";
    }

    @Override
    public List<Setting<?>> settings() {
        return List.of(FIELD, EXTRA_PATTERNS);
    }

    @Override
    public List<String> requires() {
        // Arguments must be decoded text, not auditd's hex.
        return List.of("hex-decoder");
    }

    @Override
    public Enricher create(PluginConfig config, PluginContext context) throws ConfigException {
        List<Pattern> patterns = new ArrayList<>(ReverseShellTagger.BUILT_IN);
        for (String p : config.get(EXTRA_PATTERNS)) {
            try {
                patterns.add(Pattern.compile(p));
            } catch (PatternSyntaxException e) {
                throw new ConfigException(EXTRA_PATTERNS.name(),
                        "is not a valid regular expression: " + e.getDescription() + " in " + p);
            }
        }
        return new ReverseShellTagger(config.get(FIELD), patterns);
    }
}
