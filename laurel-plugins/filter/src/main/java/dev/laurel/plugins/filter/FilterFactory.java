package dev.laurel.plugins.filter;

import dev.laurel.api.ConfigException;
import dev.laurel.api.Enricher;
import dev.laurel.api.EnricherFactory;
import dev.laurel.api.PluginConfig;
import dev.laurel.api.PluginContext;
import dev.laurel.api.ProcessTable;
import dev.laurel.api.Setting;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/** Creates {@link EventFilter} enrichers. */
public final class FilterFactory implements EnricherFactory {

    /** How many processes keep-first-per-process remembers (as many as the engine's process table). */
    static final int REMEMBERED_PROCESSES = 100_000;

    static final Setting<List<String>> KEYS = Setting.stringList("keys",
            "Drop events whose SYSCALL key (auditctl -k) is one of these").withDefault(List.of());
    static final Setting<Boolean> NO_KEY = Setting.bool("no-key",
            "Drop events whose SYSCALL has no key (key=(null))").withDefault(false);
    static final Setting<List<String>> LABELS = Setting.stringList("labels",
            "Drop events whose process (SYSCALL pid) carries one of these labels; "
                    + "put the labeler (key-labeler) earlier in the chain").withDefault(List.of());
    static final Setting<List<String>> SOCKADDR = Setting.stringList("sockaddr",
            "Drop events with a SOCKADDR in one of these networks or ports: CIDR, CIDR:PORT, *:PORT, "
                    + "[IPV6-CIDR]:PORT, IPV6-CIDR").withDefault(List.of());
    static final Setting<List<String>> EXE = Setting.stringList("exe",
            "Drop events whose SYSCALL exe matches one of these regular expressions (anywhere; "
                    + "anchor with ^ and $)").withDefault(List.of());
    static final Setting<List<String>> SERVICE = Setting.stringList("service",
            "Drop events of processes in one of these systemd system services (NAME means NAME.service), "
                    + "read from /proc/PID/cgroup under the top-level proc-root").withDefault(List.of());
    static final Setting<List<String>> RAW_LINES = Setting.stringList("raw-lines",
            "Drop events with an input line that matches one of these regular expressions (anywhere)")
            .withDefault(List.of());
    static final Setting<Boolean> KEEP_FIRST = Setting.bool("keep-first-per-process",
            "Keep the first event of each process (pid and last exec) even if it matches, so that "
                    + "references to the process resolve").withDefault(true);

    @Override
    public String type() {
        return "filter";
    }

    @Override
    public String description() {
        return "Drops events by key, process label, socket address, executable, service or raw line";
    }

    @Override
    public List<Setting<?>> settings() {
        return List.of(KEYS, NO_KEY, LABELS, SOCKADDR, EXE, SERVICE, RAW_LINES, KEEP_FIRST);
    }

    @Override
    public Enricher create(PluginConfig config, PluginContext context) throws ConfigException {
        List<ConfigException.Problem> problems = new ArrayList<>();
        List<Pattern> exes = patterns(config, EXE, problems);
        List<Pattern> rawLines = patterns(config, RAW_LINES, problems);
        List<SockaddrRule> sockaddrs = new ArrayList<>();
        for (String s : config.get(SOCKADDR)) {
            try {
                sockaddrs.add(SockaddrRule.parse(s));
            } catch (IllegalArgumentException e) {
                problems.add(new ConfigException.Problem(SOCKADDR.name(), "'" + s + "' " + e.getMessage()
                        + "; write CIDR, CIDR:PORT, *:PORT or [IPV6-CIDR]:PORT, e.g. 10.0.0.0/8:53"));
            }
        }
        for (String unit : config.get(SERVICE)) {
            if (!ServiceCgroups.isUnitName(unit)) {
                problems.add(new ConfigException.Problem(SERVICE.name(),
                        "'" + unit + "' is not a unit name; write e.g. ssh or cron.service"));
            }
        }
        boolean keepFirst = config.get(KEEP_FIRST);
        List<String> labels = config.get(LABELS);
        ProcessTable processes = null;
        if (!labels.isEmpty() || keepFirst) {
            try {
                processes = context.processes();
            } catch (UnsupportedOperationException e) {
                // keep-first then tells processes by pid alone; labels cannot work at all.
                if (!labels.isEmpty()) {
                    problems.add(new ConfigException.Problem(LABELS.name(),
                            "needs process tracking, which this engine does not offer"));
                }
            }
        }
        if (!problems.isEmpty()) {
            throw new ConfigException(problems);
        }
        List<byte[]> keys = config.get(KEYS).stream().map(k -> k.getBytes(StandardCharsets.UTF_8)).toList();
        EventFilter.Rules rules = new EventFilter.Rules(keys, config.get(NO_KEY), Set.copyOf(labels),
                List.copyOf(sockaddrs), exes, new ServiceCgroups(context.procRoot().orElse(null), config.get(SERVICE)), rawLines);
        return new EventFilter(rules, processes, keepFirst ? new FirstEvents(REMEMBERED_PROCESSES) : null);
    }

    private static List<Pattern> patterns(PluginConfig config, Setting<List<String>> setting,
                                          List<ConfigException.Problem> problems) {
        List<Pattern> patterns = new ArrayList<>();
        for (String regex : config.get(setting)) {
            try {
                patterns.add(Pattern.compile(regex));
            } catch (PatternSyntaxException e) {
                problems.add(new ConfigException.Problem(setting.name(),
                        "'" + regex + "' is not a valid regular expression: " + e.getDescription()
                                + " near index " + e.getIndex()));
            }
        }
        return List.copyOf(patterns);
    }
}
