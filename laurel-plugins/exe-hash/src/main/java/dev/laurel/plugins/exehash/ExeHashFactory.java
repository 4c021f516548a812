package dev.laurel.plugins.exehash;

import dev.laurel.plugins.proc.ErrorField;
import dev.laurel.plugins.proc.ProcFiles;

import dev.laurel.api.ConfigException;
import dev.laurel.api.Enricher;
import dev.laurel.api.EnricherFactory;
import dev.laurel.api.PluginConfig;
import dev.laurel.api.PluginContext;
import dev.laurel.api.Setting;

import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Creates {@link ExeHash} enrichers. */
public final class ExeHashFactory implements EnricherFactory {

    static final Setting<Boolean> PATH_FALLBACK = Setting.bool("path-fallback",
                    "When /proc/PID/exe cannot be used, hash the SYSCALL exe path under root instead")
            .withDefault(true);
    static final Setting<String> ROOT = Setting.string("root",
                    "The directory the SYSCALL exe path is looked up in by path-fallback")
            .withDefault("/");
    static final Setting<Long> MAX_SIZE = Setting.integer("max-size",
                    "Executables larger than this many bytes are not hashed (EXE_SHA256_ERROR says so)")
            .withDefault(64L << 20)
            .check(n -> n > 0, "must be positive");
    static final Setting<Long> CACHE_SIZE = Setting.integer("cache-size",
                    "How many hashes to remember, by device, inode, size, mtime and ctime; 0 for none")
            .withDefault(4096L)
            .check(n -> n >= 0 && n <= 1_000_000, "must be between 0 and 1000000");
    static final ErrorField.Declaration ERRORS = ErrorField.declare("EXE_SHA256_ERROR",
            "the executable cannot be hashed");

    /** LAUREL 0.8's defaults for exe-hash-size-limit and exe-hash-cache-entries. */
    static final long LAUREL_08_SIZE_LIMIT = 10_000_000;
    static final long LAUREL_08_CACHE_ENTRIES = 1024;

    static final Setting<String> STYLE = Setting.choice("style",
                    "The hash's key in SYSCALL: sha256 gives EXE_SHA256; laurel-0.8 gives EXE_HASH, LAUREL 0.8's name, "
                            + "with LAUREL 0.8's defaults (max-size 10000000, cache-size 1024, report-errors false)",
                    "sha256", "laurel-0.8")
            .withDefault("sha256");

    @Override
    public String type() {
        return "exe-hash";
    }

    @Override
    public String description() {
        return "Adds SYSCALL.EXE_SHA256, the SHA-256 of the process's executable";
    }

    @Override
    public List<Setting<?>> settings() {
        return List.of(STYLE, PATH_FALLBACK, ROOT, MAX_SIZE, CACHE_SIZE, ERRORS.setting());
    }

    @Override
    public Enricher create(PluginConfig config, PluginContext context) throws ConfigException {
        List<ConfigException.Problem> problems = new ArrayList<>();
        ProcFiles proc = ProcFiles.of(context, problems);
        Path root = null;
        if (config.get(PATH_FALLBACK)) {
            root = directory(config, ROOT, problems);
        } else if (config.isSet(ROOT)) {
            problems.add(new ConfigException.Problem(ROOT.name(), "is only used with path-fallback: true"));
        }
        if (!problems.isEmpty()) {
            throw new ConfigException(problems);
        }
        if (config.get(STYLE).equals("laurel-0.8")) {
            // LAUREL 0.8's defaults (exe-hash-size-limit, exe-hash-cache-entries), and no error
            // field unless asked for: LAUREL writes none
            long maxSize = config.isSet(MAX_SIZE) ? config.get(MAX_SIZE) : LAUREL_08_SIZE_LIMIT;
            long cacheSize = config.isSet(CACHE_SIZE) ? config.get(CACHE_SIZE) : LAUREL_08_CACHE_ENTRIES;
            boolean report = config.isSet(ERRORS.setting()) && config.get(ERRORS.setting());
            return new ExeHash(proc, root, maxSize, (int) cacheSize, "EXE_HASH",
                    new ErrorField("EXE_HASH_ERROR", report));
        }
        return new ExeHash(proc, root, config.get(MAX_SIZE), config.get(CACHE_SIZE).intValue(),
                "EXE_SHA256", ERRORS.of(config));
    }

    private static Path directory(PluginConfig config, Setting<String> setting, List<ConfigException.Problem> problems) {
        try {
            Path p = Path.of(config.get(setting));
            if (!Files.isDirectory(p)) {
                problems.add(new ConfigException.Problem(setting.name(), "is not a directory: " + config.get(setting)));
            }
            return p;
        } catch (InvalidPathException e) {
            problems.add(new ConfigException.Problem(setting.name(), "is not a valid path: " + e.getMessage()));
            return null;
        }
    }
}
