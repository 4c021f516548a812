package dev.laurel.plugins.script;

import dev.laurel.plugins.proc.ErrorField;
import dev.laurel.plugins.proc.ProcFiles;

import dev.laurel.api.AuditEvent;
import dev.laurel.api.Enricher;
import dev.laurel.api.Record;
import dev.laurel.api.RecordType;
import dev.laurel.api.Value;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Adds {@code SYSCALL.SCRIPT}, the absolute path of the script an execve ran, to events with an
 * EXECVE record.
 *
 * <p>A {@code #!} script: the kernel logs the file named in the execve as PATH item 0 and the
 * interpreter as SYSCALL {@code exe}. As LAUREL 0.5.1 does, the exe is looked up in the process's
 * root ({@code <proc-root>/<pid>/root/<exe>}) and when its device and inode differ from item 0's,
 * item 0's name, resolved against the CWD record's {@code cwd} and normalised, is the script. When
 * item 0 names the exe itself no lookup is needed.
 *
 * <p>An interpreter started by name ({@code bash /tmp/x.sh}, {@code python3 -u job.py}): when the
 * exe's file name is one of {@code interpreters}, the first argument after {@code argv[0]} that is
 * not an option is the script, unless an option first gives the code inline ({@code -c}, {@code -e},
 * {@code -m}...), read from stdin ({@code -}) or, for some interpreters, takes the next argument.
 *
 * <p>When the exe could not be looked up (the process is gone or hides its root), item 0 is not
 * the exe and the interpreter rule finds nothing either (for a {@code #!} script the kernel puts
 * the script's path into the interpreter's argv, so for known interpreters it gives the same
 * answer), {@code SYSCALL.SCRIPT_ERROR} says why (unless {@code report-errors} is off).
 */
final class Script implements Enricher {
    private final ProcFiles proc;
    private final Set<String> names;
    private final List<String> prefixes;
    private final ErrorField errors;

    Script(ProcFiles proc, List<String> names, List<String> prefixes, ErrorField errors) {
        this.proc = proc;
        this.names = Set.copyOf(names);
        this.prefixes = List.copyOf(prefixes);
        this.errors = errors;
    }

    @Override
    public void enrich(AuditEvent event) {
        Record sc = event.first(RecordType.SYSCALL);
        Record exec = event.first(RecordType.EXECVE);
        if (sc == null || exec == null) {
            return;
        }
        byte[] exe = sc.decoded("exe");
        Record item0 = firstPath(event);
        byte[] name = item0 == null ? null : item0.decoded("name");
        if (exe == null || name == null || name.length == 0) {
            return;
        }
        byte[] cwd = cwd(event);
        byte[] target = resolve(cwd, name);
        if (!Arrays.equals(target, exe)) {
            long dev = device(item0);
            long ino = item0.getLong("inode", -1);
            if (dev == -1 || ino == -1) {
                return;     // item 0 without device or inode: nothing to compare, no claim
            }
            long pid = sc.getLong("pid", -1);
            if (pid <= 0 || exe[0] != '/') {
                error(sc, pid <= 0 ? "no pid" : "exe is not an absolute path");
                return;
            }
            long[] id;
            try {
                id = fileId(proc.path(pid, "root").resolve(new String(exe, 1, exe.length - 1, StandardCharsets.UTF_8)));
            } catch (RuntimeException e) {
                id = null;      // a path Java cannot represent
            }
            if (id == null) {
                // for a #! script the kernel has put the script path into the interpreter's argv,
                // so a known interpreter's argument gives the same answer without /proc
                byte[] arg = scriptArgument(exe, exec);
                if (arg == null && hashBangArgv(event, exec, name)) {
                    arg = name;
                }
                if (arg != null) {
                    sc.set("SCRIPT", Value.text(resolve(cwd, arg)));
                } else {
                    error(sc, proc.root() == null ? ProcFiles.NONE
                            : proc.gone(pid) ? "process gone" : "exe not found in the process's root");
                }
                return;
            }
            if (id[0] != dev || id[1] != ino) {
                sc.set("SCRIPT", Value.text(target));
                return;
            }
        }
        byte[] arg = scriptArgument(exe, exec);
        if (arg != null) {
            sc.set("SCRIPT", Value.text(resolve(cwd, arg)));
        }
    }

    private void error(Record sc, String problem) {
        errors.set(sc, problem);
    }

    private static Record firstPath(AuditEvent event) {
        for (Record r : event.records()) {
            if (r.type() == RecordType.PATH) {
                return r.getLong("item", -1) == 0 ? r : null;
            }
        }
        return null;
    }

    private static byte[] cwd(AuditEvent event) {
        Record r = event.first(RecordType.CWD);
        byte[] cwd = r == null ? null : r.decoded("cwd");
        return cwd == null ? new byte[]{'/'} : cwd;
    }

    /** {@code st_dev} and {@code st_ino} of a file, following links; {@code null} if it cannot be seen. */
    private static long[] fileId(Path p) {
        try {
            Map<String, Object> a = Files.readAttributes(p, "unix:dev,ino");
            return new long[]{(Long) a.get("dev"), (Long) a.get("ino")};
        } catch (Exception e) {
            return null;
        }
    }

    /** A PATH record's {@code dev=MAJOR:MINOR} (hex) as glibc's {@code makedev} encodes it; -1 if malformed. */
    static long device(Record path) {
        byte[] d = path.decoded("dev");
        if (d == null) {
            return -1;
        }
        int colon = -1;
        for (int i = 0; i < d.length; i++) {
            if (d[i] == ':') {
                colon = i;
                break;
            }
        }
        long major = hex(d, 0, colon);
        long minor = colon < 0 ? -1 : hex(d, colon + 1, d.length);
        if (major < 0 || minor < 0) {
            return -1;
        }
        return ((major & 0xfffff000L) << 32) | ((major & 0xfffL) << 8)
                | ((minor & 0xffffff00L) << 12) | (minor & 0xffL);
    }

    private static long hex(byte[] b, int from, int to) {
        if (to <= from || to - from > 8) {
            return -1;
        }
        long n = 0;
        for (int i = from; i < to; i++) {
            int v = Character.digit(b[i], 16);
            if (v < 0) {
                return -1;
            }
            n = n * 16 + v;
        }
        return n;
    }

    /**
     * {@code name} joined to {@code cwd} when relative, with {@code .}, {@code ..} and repeated
     * slashes removed lexically, as LAUREL does.
     */
    static byte[] resolve(byte[] cwd, byte[] name) {
        List<byte[]> parts = new ArrayList<>();
        if (name.length == 0 || name[0] != '/') {
            split(cwd, parts);
        }
        split(name, parts);
        ByteArrayOutputStream out = new ByteArrayOutputStream(cwd.length + name.length + 1);
        for (byte[] p : parts) {
            out.write('/');
            out.writeBytes(p);
        }
        return out.size() == 0 ? new byte[]{'/'} : out.toByteArray();
    }

    private static void split(byte[] path, List<byte[]> parts) {
        int start = 0;
        for (int i = 0; i <= path.length; i++) {
            if (i == path.length || path[i] == '/') {
                int len = i - start;
                if (len == 2 && path[start] == '.' && path[start + 1] == '.') {
                    if (!parts.isEmpty()) {
                        parts.remove(parts.size() - 1);
                    }
                } else if (len > 0 && !(len == 1 && path[start] == '.')) {
                    parts.add(Arrays.copyOfRange(path, start, i));
                }
                start = i + 1;
            }
        }
    }

    /**
     * Whether argv shows the kernel's rewrite for a {@code #!} script: argv[0] is the interpreter
     * as PATH item 1 names it and the script's name (item 0's) follows as argv[1] or argv[2] (after
     * the shebang's one optional argument). This finds {@code #!/usr/bin/env python3} scripts, whose
     * exe is env, with no interpreter list and after the process is gone, as LAUREL does.
     */
    private static boolean hashBangArgv(AuditEvent event, Record exec, byte[] scriptName) {
        Record item1 = null;
        for (Record r : event.records()) {
            if (r.type() == RecordType.PATH && r.getLong("item", -1) == 1) {
                item1 = r;
                break;
            }
        }
        byte[] interpreter = item1 == null ? null : item1.decoded("name");
        List<byte[]> argv = argv(exec);
        if (interpreter == null || interpreter.length == 0 || interpreter[0] != '/' || argv.size() < 2
                || !Arrays.equals(argv.get(0), interpreter)) {
            return false;
        }
        return Arrays.equals(argv.get(1), scriptName) || (argv.size() > 2 && Arrays.equals(argv.get(2), scriptName));
    }

    /** The script argument of an interpreter started by name, or {@code null}. */
    private byte[] scriptArgument(byte[] exe, Record exec) {
        String base = baseName(exe);
        if (!isInterpreter(base)) {
            return null;
        }
        List<byte[]> argv = argv(exec);
        Family family = Family.of(base);
        for (int i = 1; i < argv.size(); i++) {
            byte[] a = argv.get(i);
            if (a.length == 0) {
                return null;
            }
            String s = new String(a, StandardCharsets.UTF_8);
            if (s.equals("--")) {
                return i + 1 < argv.size() && argv.get(i + 1).length > 0 ? argv.get(i + 1) : null;
            }
            if (s.equals("-") || family.inline(s)) {
                return null;
            }
            if (s.startsWith("-") || (family == Family.SHELL && s.startsWith("+"))) {
                if (family.takesArgument(s)) {
                    i++;
                }
                continue;
            }
            return a;
        }
        return null;
    }

    private boolean isInterpreter(String base) {
        if (names.contains(base)) {
            return true;
        }
        for (String p : prefixes) {
            if (base.startsWith(p)) {
                return true;
            }
        }
        return false;
    }

    private static String baseName(byte[] path) {
        int slash = -1;
        for (int i = 0; i < path.length; i++) {
            if (path[i] == '/') {
                slash = i;
            }
        }
        return new String(path, slash + 1, path.length - slash - 1, StandardCharsets.UTF_8);
    }

    private static List<byte[]> argv(Record exec) {
        List<byte[]> out = new ArrayList<>();
        if (exec.get("ARGV") instanceof Value.ListValue list) {
            for (Value v : list.items()) {
                if (v instanceof Value.Token t) {
                    byte[] d = t.decoded();
                    out.add(d == null ? new byte[0] : d);
                } else if (v instanceof Value.Text t) {
                    out.add(t.bytes());
                } else {
                    out.add(new byte[0]);
                }
            }
        }
        return out;
    }

    /** How an interpreter's options read: which give the code inline, which take a value. */
    enum Family {
        SHELL("c", "oO", Set.of("--command"), Set.of("-o", "+o", "-O", "+O", "--rcfile", "--init-file")),
        PYTHON("cm", "WXQ", Set.of(), Set.of("-W", "-X", "-Q", "--check-hash-based-pycs")),
        PERL("eE", "IMmixdDC", Set.of(), Set.of()),
        RUBY("e", "rICxTEKW", Set.of(), Set.of("-r", "-I", "-C")),
        PHP("r", "cdzt", Set.of("--run"), Set.of("-c", "-d", "-z", "-t")),
        NODE("ep", "r", Set.of("--eval", "--print"), Set.of("-r", "--require", "--import", "--loader")),
        OTHER("ce", "", Set.of(), Set.of());

        private final String inlineLetters;
        private final String valueLetters;
        private final Set<String> inlineLong;
        private final Set<String> withArgument;

        Family(String inlineLetters, String valueLetters, Set<String> inlineLong, Set<String> withArgument) {
            this.inlineLetters = inlineLetters;
            this.valueLetters = valueLetters;
            this.inlineLong = inlineLong;
            this.withArgument = withArgument;
        }

        static Family of(String base) {
            if (Set.of("sh", "bash", "dash", "zsh", "ksh", "mksh", "fish", "csh", "tcsh").contains(base)) {
                return SHELL;
            }
            if (base.startsWith("python")) {
                return PYTHON;
            }
            if (base.startsWith("perl")) {
                return PERL;
            }
            if (base.startsWith("ruby")) {
                return RUBY;
            }
            if (base.startsWith("php")) {
                return PHP;
            }
            if (base.startsWith("node")) {
                return NODE;
            }
            return OTHER;
        }

        /** Whether option {@code s} means the code is given inline (so there is no script file). */
        boolean inline(String s) {
            if (s.startsWith("--")) {
                int eq = s.indexOf('=');
                return inlineLong.contains(eq < 0 ? s : s.substring(0, eq));
            }
            if (s.length() < 2 || s.charAt(0) != '-') {
                return false;
            }
            // a cluster of short options such as -ec or -wle; a letter taking a value ends it
            for (int i = 1; i < s.length(); i++) {
                char c = s.charAt(i);
                if (inlineLetters.indexOf(c) >= 0) {
                    return true;
                }
                if (!Character.isLetter(c) || valueLetters.indexOf(c) >= 0) {
                    return false;
                }
            }
            return false;
        }

        boolean takesArgument(String s) {
            return withArgument.contains(s);
        }
    }
}
