package dev.laurel.plugins.keylabeler;

import dev.laurel.api.ConfigException;
import dev.laurel.api.Enricher;
import dev.laurel.api.EnricherFactory;
import dev.laurel.api.PluginConfig;
import dev.laurel.api.PluginContext;
import dev.laurel.api.Setting;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/** Creates {@link KeyLabeler} enrichers. */
public final class KeyLabelerFactory implements EnricherFactory {

    static final Setting<List<String>> LABEL_KEYS = Setting.stringList("label-keys",
            "Audit keys (-k) that label the process of an event carrying them").withDefault(List.of());
    static final Setting<List<String>> PROPAGATE = Setting.stringList("propagate-labels",
            "Labels copied to every child a labelled process forks, and kept across exec")
            .withDefault(List.of());
    static final Setting<Map<String, String>> LABEL_EXE = Setting.stringMap("label-exe",
            "Regular expression on the executable's path -> label attached at exec").withDefault(Map.of());
    static final Setting<Map<String, String>> UNLABEL_EXE = Setting.stringMap("unlabel-exe",
            "Regular expression on the executable's path -> label removed at exec").withDefault(Map.of());
    static final Setting<Map<String, String>> LABEL_ARGV = Setting.stringMap("label-argv",
            "Regular expression on the command line (arguments joined by spaces) -> label attached at exec")
            .withDefault(Map.of());
    static final Setting<Map<String, String>> UNLABEL_ARGV = Setting.stringMap("unlabel-argv",
            "Regular expression on the command line -> label removed at exec").withDefault(Map.of());
    static final Setting<Map<String, String>> LABEL_SCRIPT = Setting.stringMap("label-script",
            "Regular expression on the script an interpreter runs (SYSCALL.SCRIPT, written by the script "
                    + "enricher earlier in the chain) -> label attached at exec").withDefault(Map.of());
    static final Setting<Map<String, String>> UNLABEL_SCRIPT = Setting.stringMap("unlabel-script",
            "Regular expression on SYSCALL.SCRIPT -> label removed at exec").withDefault(Map.of());
    static final Setting<Long> ARGV_COUNT = Setting.integer("label-argv-count",
            "How many arguments label-argv looks at").withDefault(32L).check(n -> n > 0, "must be positive");
    static final Setting<Long> ARGV_BYTES = Setting.integer("label-argv-bytes",
            "How many bytes of the command line label-argv looks at").withDefault(4096L)
            .check(n -> n > 0, "must be positive");

    @Override
    public String type() {
        return "key-labeler";
    }

    @Override
    public String description() {
        return "Labels processes by audit key, executable or command line; labels can propagate to children";
    }

    @Override
    public List<Setting<?>> settings() {
        return List.of(LABEL_KEYS, PROPAGATE, LABEL_EXE, UNLABEL_EXE, LABEL_ARGV, UNLABEL_ARGV,
                LABEL_SCRIPT, UNLABEL_SCRIPT, ARGV_COUNT, ARGV_BYTES);
    }

    @Override
    public List<String> requires() {
        return List.of("hex-decoder");
    }

    @Override
    public Enricher create(PluginConfig config, PluginContext context) throws ConfigException {
        List<ConfigException.Problem> problems = new ArrayList<>();
        List<KeyLabeler.Rule> exe = rules(config, LABEL_EXE, true, problems);
        exe.addAll(rules(config, UNLABEL_EXE, false, problems));
        List<KeyLabeler.Rule> argv = rules(config, LABEL_ARGV, true, problems);
        argv.addAll(rules(config, UNLABEL_ARGV, false, problems));
        List<KeyLabeler.Rule> script = rules(config, LABEL_SCRIPT, true, problems);
        script.addAll(rules(config, UNLABEL_SCRIPT, false, problems));
        if (!problems.isEmpty()) {
            throw new ConfigException(problems);
        }
        return new KeyLabeler(context.processes(), config.get(LABEL_KEYS), config.get(PROPAGATE), exe, argv, script,
                config.get(ARGV_COUNT).intValue(), config.get(ARGV_BYTES).intValue());
    }

    private static List<KeyLabeler.Rule> rules(PluginConfig config, Setting<Map<String, String>> setting,
                                               boolean attach, List<ConfigException.Problem> problems) {
        List<KeyLabeler.Rule> rules = new ArrayList<>();
        for (Map.Entry<String, String> e : config.get(setting).entrySet()) {
            try {
                rules.add(new KeyLabeler.Rule(Pattern.compile(e.getKey()), e.getValue(), attach));
            } catch (PatternSyntaxException ex) {
                problems.add(new ConfigException.Problem(setting.name(),
                        "is not a valid regular expression: " + ex.getDescription() + " in " + e.getKey()));
            }
        }
        return rules;
    }
}
