package dev.laurel.plugins.sigma;

import dev.laurel.api.ConfigException;
import dev.laurel.api.Enricher;
import dev.laurel.api.EnricherFactory;
import dev.laurel.api.PluginConfig;
import dev.laurel.api.PluginContext;
import dev.laurel.api.ProcessTable;
import dev.laurel.api.Setting;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Creates {@link Sigma} enrichers: loads and compiles the rules once, reports rule files that are
 * not valid as config errors and logs every rule skipped, with its reason.
 *
 * <pre>{@code
 * enrichers:
 *   - type: sigma
 *     rules: [/etc/laurel/sigma/]
 *     min-level: medium
 *     label-levels: {high: sigma-high, critical: sigma-critical}
 *     propagate-labels: [sigma-high, sigma-critical]
 * }</pre>
 */
public final class SigmaFactory implements EnricherFactory {

    static final Setting<List<String>> RULES = Setting.stringList("rules",
            "Sigma rule files (.yml, one rule per YAML document) and directories of them (read recursively, by name)")
            .required();
    static final Setting<String> MIN_LEVEL = Setting.choice("min-level",
            "Rules below this level are not loaded", "informational", "low", "medium", "high", "critical")
            .withDefault("informational");
    static final Setting<List<String>> STATUSES = Setting.stringList("statuses",
            "The rule statuses loaded (a rule without status is loaded)")
            .withDefault(List.of("stable", "test", "experimental"));
    static final Setting<Map<String, String>> LABEL_LEVELS = Setting.stringMap("label-levels",
            "Rule level -> label attached to the process of a matching event").withDefault(Map.of());
    static final Setting<Map<String, String>> LABEL_TAGS = Setting.stringMap("label-tags",
            "Rule tag (such as attack.execution) -> label attached to the process of a matching event")
            .withDefault(Map.of());
    static final Setting<List<String>> PROPAGATE = Setting.stringList("propagate-labels",
            "Labels copied to every child a labelled process forks, and kept across exec (as key-labeler's)")
            .withDefault(List.of());
    static final Setting<Map<String, String>> PLACEHOLDERS = Setting.stringMap("placeholders",
            "Placeholder name (without %) -> its values, separated by commas, for the expand modifier")
            .withDefault(Map.of());
    static final Setting<Map<String, String>> FIELD_MAP = Setting.stringMap("field-map",
            "Sigma field of process_creation, file_event, network_connection -> RECORD.field of the event"
                    + " (SYSCALL.comm, EXECVE.a1, ...)")
            .withDefault(Map.of());

    @Override
    public String type() {
        return "sigma";
    }

    @Override
    public String description() {
        return "Tags events with the Sigma rules they match (SIGMA); can label the matched process";
    }

    @Override
    public List<Setting<?>> settings() {
        return List.of(RULES, MIN_LEVEL, STATUSES, LABEL_LEVELS, LABEL_TAGS, PROPAGATE, PLACEHOLDERS, FIELD_MAP);
    }

    @Override
    public Enricher create(PluginConfig config, PluginContext context) throws ConfigException {
        List<ConfigException.Problem> problems = new ArrayList<>();
        Map<SigmaRule.Level, String> levelLabels = new EnumMap<>(SigmaRule.Level.class);
        for (Map.Entry<String, String> e : config.get(LABEL_LEVELS).entrySet()) {
            SigmaRule.Level l = SigmaRule.Level.of(e.getKey());
            if (l == null) {
                problems.add(new ConfigException.Problem(LABEL_LEVELS.name(), "'" + e.getKey()
                        + "' is not a level; use informational, low, medium, high or critical"));
            } else {
                levelLabels.put(l, e.getValue());
            }
        }
        Map<String, String> fieldMap = config.get(FIELD_MAP);
        for (Map.Entry<String, String> e : fieldMap.entrySet()) {
            String v = e.getValue();
            int dot = v.indexOf('.');
            if (v.isEmpty() || dot == 0 || dot == v.length() - 1) {
                problems.add(new ConfigException.Problem(FIELD_MAP.name(), e.getKey() + ": '" + v
                        + "' is not RECORD.field (such as SYSCALL.comm) or a SYSCALL field name"));
            }
        }
        Map<String, List<String>> placeholders = new LinkedHashMap<>();
        config.get(PLACEHOLDERS).forEach((k, v) -> placeholders.put(k.replace("%", ""),
                List.of(v.split(",")).stream().map(String::trim).filter(s -> !s.isEmpty()).toList()));
        RuleLoader loader = new RuleLoader(placeholders, Set.copyOf(config.get(STATUSES)),
                SigmaRule.Level.of(config.get(MIN_LEVEL)));
        for (String path : config.get(RULES)) {
            loader.load(Path.of(path));
        }
        for (String error : loader.errors) {
            problems.add(new ConfigException.Problem(RULES.name(), error));
        }
        if (!problems.isEmpty()) {
            throw new ConfigException(problems);
        }
        System.Logger log = context.logger();
        for (RuleLoader.Skipped s : loader.skipped) {
            log.log(System.Logger.Level.WARNING, "rule skipped: " + s);
        }
        log.log(System.Logger.Level.INFO, loader.rules.size() + " rules loaded, "
                + loader.skipped.size() + " skipped, " + loader.filtered + " left out by statuses/min-level");
        ProcessTable processes;
        try {
            processes = context.processes();
        } catch (UnsupportedOperationException e) {
            if (!levelLabels.isEmpty() || !config.get(LABEL_TAGS).isEmpty()) {
                throw new ConfigException(LABEL_LEVELS.name(), "labels need the engine's process table, which "
                        + "this engine does not keep; remove label-levels and label-tags");
            }
            processes = null;       // ParentImage and ParentCommandLine stay absent
        }
        return new Sigma(loader.rules, processes, fieldMap, levelLabels, config.get(LABEL_TAGS),
                Set.copyOf(config.get(PROPAGATE)));
    }
}
