package dev.laurel.plugins.ecs;

import dev.laurel.api.internal.JsonFragment;
import dev.laurel.api.RecordType;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.Map;

/**
 * {@code event.action}, {@code event.category} and {@code event.type} per syscall and record type:
 * the facts of go-libaudit's {@code normalizations.yaml} (what Auditbeat uses), made into
 * {@code normalizations.tsv} by {@code tools/ecs-normalizations.py}, which also drops any type ECS
 * does not expect for the row's categories.
 *
 * <pre>{@code
 * Normalizations.Row r = Normalizations.DEFAULT.syscall("connect");
 * r.action();       // "connected-to"
 * r.categories();   // ["network"]
 * r.types();        // ["connection", "start"]
 * }</pre>
 */
final class Normalizations {
    /**
     * One line of the table; {@code action} is null where go-libaudit names none. {@code members}
     * writes {@code event.category}, {@code event.type} and {@code event.action} (those the row
     * has) in one call.
     */
    record Row(String action, String[] categories, String[] types, JsonFragment members) {
        Row(String action, String[] categories, String[] types) {
            this(action, categories, types, JsonFragment.of(out -> {
                if (categories.length > 0) {
                    out.key("category");
                    EcsFormat.strings(out, categories);
                    if (types.length > 0) {
                        out.key("type");
                        EcsFormat.strings(out, types);
                    }
                }
                if (action != null) {
                    out.key("action");
                    out.string(action);
                }
            }));
        }
    }

    static final Normalizations DEFAULT = load();

    private final Map<String, Row> syscalls;
    private final Map<RecordType, Row> records;
    private final Row catchAll;

    private Normalizations(Map<String, Row> syscalls, Map<RecordType, Row> records) {
        this.syscalls = syscalls;
        this.records = records;
        this.catchAll = syscalls.getOrDefault("*", new Row(null, new String[] {"process"}, new String[] {"info"}));
    }

    private static Normalizations load() {
        Map<String, Row> syscalls = new HashMap<>();
        Map<RecordType, Row> records = new IdentityHashMap<>();
        try (InputStream in = Normalizations.class.getResourceAsStream("normalizations.tsv")) {
            if (in == null) {
                throw new IllegalStateException("normalizations.tsv is missing from the format-ecs jar");
            }
            BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
            String line;
            while ((line = reader.readLine()) != null) {
                if (line.isEmpty() || line.startsWith("#")) {
                    continue;
                }
                String[] f = line.split("\t", -1);
                Row row = new Row(f[2].equals("-") ? null : f[2], list(f[3]), list(f[4]));
                if (f[0].equals("syscall")) {
                    syscalls.put(f[1], row);
                } else {
                    RecordType type = RecordType.named(f[1]);
                    if (type != null) {
                        records.put(type, row);
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return new Normalizations(Map.copyOf(syscalls), records);
    }

    private static String[] list(String s) {
        return s.equals("-") ? new String[0] : s.split(",");
    }

    /** The row of a syscall by name, or the catch-all ({@code process}/{@code info}). */
    Row syscall(String name) {
        Row r = name == null ? null : syscalls.get(name);
        return r != null ? r : catchAll;
    }

    /** The row of a record type, or null if go-libaudit has none for it. */
    Row record(RecordType type) {
        return records.get(type);
    }
}
