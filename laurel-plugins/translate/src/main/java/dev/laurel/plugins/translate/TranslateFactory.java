package dev.laurel.plugins.translate;

import dev.laurel.api.ConfigException;
import dev.laurel.api.Enricher;
import dev.laurel.api.EnricherFactory;
import dev.laurel.api.PluginConfig;
import dev.laurel.api.PluginContext;
import dev.laurel.api.Setting;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** Creates {@link Translate} enrichers. */
public final class TranslateFactory implements EnricherFactory {

    static final Setting<Boolean> UNIVERSAL = Setting.bool("universal",
                    "Write ARCH and SYSCALL names into SYSCALL records and SADDR into SOCKADDR records")
            .withDefault(true);
    static final Setting<String> SOCKADDR = Setting.choice("sockaddr",
                    "How SADDR is written: string, auditd's text ({saddr_fam=inet laddr=10.0.0.1 lport=53}); "
                            + "object, a JSON object with LAUREL's keys ({\"saddr_fam\":\"inet\",\"addr\":...})",
                    "string", "object")
            .withDefault("string");
    static final Setting<Boolean> USER_DB = Setting.bool("user-db",
                    "Write the user or group name of every *uid/*gid field as the upper-case key (UID, AUID, OGID...)")
            .withDefault(true);
    static final Setting<String> PASSWD_FILE = Setting.string("passwd-file",
                    "The user database in /etc/passwd format")
            .withDefault("/etc/passwd");
    static final Setting<String> GROUP_FILE = Setting.string("group-file",
                    "The group database in /etc/group format")
            .withDefault("/etc/group");
    static final Setting<Duration> USER_DB_CACHE = Setting.duration("user-db-cache",
                    "How long names read from passwd-file/group-file are used before the files are checked "
                            + "for changes; 0 checks on every lookup")
            .withDefault(Duration.ofSeconds(60));
    static final Setting<Boolean> DROP_RAW = Setting.bool("drop-raw",
                    "Remove each raw field that got a translation (arch, syscall, saddr, uid...), keeping only the "
                            + "names; off by default, since the numbers are what rules and other tools match on")
            .withDefault(false);

    static final Setting<Boolean> URING_OP = Setting.bool("uring-op",
                    "Write URING_OP, the name of the io_uring operation, into URINGOP records (LAUREL 0.8 with "
                            + "universal; give the hex-decoder style laurel-0.8 so that uring_op stays a number)")
            .withDefault(false);

    @Override
    public String type() {
        return "translate";
    }

    @Override
    public String description() {
        return "Adds auditd's ENRICHED translations: ARCH, SYSCALL, SADDR and user/group names (UID, AUID, ...)";
    }

    @Override
    public List<Setting<?>> settings() {
        return List.of(UNIVERSAL, SOCKADDR, USER_DB, PASSWD_FILE, GROUP_FILE, USER_DB_CACHE, DROP_RAW, URING_OP);
    }

    @Override
    public Enricher create(PluginConfig config, PluginContext context) throws ConfigException {
        boolean universal = config.get(UNIVERSAL);
        boolean userDb = config.get(USER_DB);
        List<ConfigException.Problem> problems = new ArrayList<>();
        if (!universal && config.isSet(SOCKADDR)) {
            problems.add(new ConfigException.Problem(SOCKADDR.name(),
                    "has no effect with universal: false; remove it or set universal: true"));
        }
        if (!universal && !userDb && !config.get(URING_OP)) {
            problems.add(new ConfigException.Problem(null,
                    "translates nothing with universal, user-db and uring-op false; remove the entry or enable one"));
        }
        Path passwd = Path.of(config.get(PASSWD_FILE));
        Path group = Path.of(config.get(GROUP_FILE));
        if (userDb) {
            checkReadable(PASSWD_FILE, passwd, problems);
            checkReadable(GROUP_FILE, group, problems);
        }
        if (!problems.isEmpty()) {
            throw new ConfigException(problems);
        }
        UserDb users = null;
        if (userDb) {
            try {
                users = new UserDb(passwd, group, config.get(USER_DB_CACHE), context.clock(),
                        context.logger());
            } catch (IOException e) {
                throw new ConfigException(null, "cannot read the user database: " + e.getMessage());
            }
        }
        return new Translate(universal ? SyscallTables.load() : null,
                config.get(SOCKADDR).equals("object"), users, config.get(DROP_RAW), config.get(URING_OP));
    }

    private static void checkReadable(Setting<String> setting, Path path, List<ConfigException.Problem> problems) {
        if (!Files.isRegularFile(path) || !Files.isReadable(path)) {
            problems.add(new ConfigException.Problem(setting.name(),
                    "cannot read " + path + "; give a readable file in /etc/passwd format or set user-db: false"));
        }
    }
}
