package dev.laurel.engine.config;

import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.composer.Composer;
import org.yaml.snakeyaml.error.Mark;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import org.yaml.snakeyaml.error.YAMLException;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.parser.ParserImpl;
import org.yaml.snakeyaml.reader.ReaderException;
import org.yaml.snakeyaml.reader.StreamReader;
import org.yaml.snakeyaml.reader.UnicodeReader;
import org.yaml.snakeyaml.resolver.Resolver;

import java.io.IOException;
import java.io.Reader;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CoderResult;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.regex.Pattern;

import static dev.laurel.engine.config.YamlNodes.describe;
import static dev.laurel.engine.config.YamlNodes.isNull;
import static dev.laurel.engine.config.YamlNodes.quote;
import static dev.laurel.engine.config.YamlNodes.text;

/**
 * A config file as YAML: its size limit, its parse into nodes, and its {@code user:}. Shared by
 * {@link ConfigLoader} and the launcher's question {@link #account(Path)}, so both read the file
 * the same way. Nothing here logs or loads plugins: {@code bin/laurel} asks it in a JVM of its
 * own before it switches accounts, and every class loaded costs that start.
 *
 * <pre>{@code
 * String account = ConfigFile.account(Path.of("/etc/laurel-java/laurel.yaml"));   // "_laurel-java", or null
 * }</pre>
 */
public final class ConfigFile {
    /**
     * The largest config file read, as SnakeYAML's own limit on a document's code points (which
     * comments escape): a file of this size is not a config someone wrote (a log written to the
     * wrong name, say), and reading it would hold the start up for nothing.
     */
    static final long MAX_BYTES = 3L << 20;

    /** An account name as useradd(8) takes it, or a number: nothing a command line could split. */
    private static final Pattern ACCOUNT = Pattern.compile("[A-Za-z0-9_][A-Za-z0-9_.-]*\\$?");

    private ConfigFile() {
    }

    /**
     * The file's top-level {@code user:} (the account laurel runs as when started as root), or
     * {@code null} without one; through the same YAML parse as {@link ConfigLoader#load}, so that
     * any spelling the loader accepts ({@code "user": x}, {@code user : x}, the name on the next
     * line, escapes, flow mappings) gives the same account. Throws with the problems of the YAML
     * itself and of {@code user:}; the rest of the file is the loader's.
     */
    public static String account(Path file) throws ConfigErrors {
        Problems problems = new Problems(file.toString());
        Node root = compose(file, problems);
        String account = null;
        if (problems.isEmpty() && root instanceof MappingNode mapping) {
            NodeTuple entry = YamlNodes.entries(mapping, problems).get("user");
            if (entry != null) {
                account = account(entry.getValueNode(), problems);
            }
        }
        if (!problems.isEmpty()) {
            throw problems.toException();
        }
        return account;
    }

    /**
     * Checks that the file can be read as YAML at all (its size, encoding and syntax), as
     * {@link ConfigLoader#load} reads it; throws with each problem at its line and column. For a
     * caller that then reads the file by other means ({@code convert} takes only its enrichers).
     */
    public static void checkYaml(Path file) throws ConfigErrors {
        Problems problems = new Problems(file.toString());
        compose(file, problems);
        if (!problems.isEmpty()) {
            throw problems.toException();
        }
    }

    /**
     * The account named by {@code user:}'s value {@code node}; null for none ({@code user: none} or
     * no value: keep the starting account), or, with a problem, if it is not a name.
     */
    static String account(Node node, Problems problems) {
        if (isNull(node)) {
            return null;
        }
        String text = text(node);
        if ("none".equals(text)) {
            return null;
        }
        if (text == null || text.isEmpty()) {
            problems.at(node, "user: expected an account name, found " + describe(node));
            return null;
        }
        if (!ACCOUNT.matcher(text).matches()) {
            problems.at(node, "user: " + quote(text) + " is not an account name (letters, digits, '_', '.', '-')");
            return null;
        }
        return text;
    }

    /** The file's YAML as nodes; null, with the problems, if it is too large, unreadable or not YAML. */
    static Node compose(Path file, Problems problems) {
        StreamReader stream = null;   // where SnakeYAML was reading, for errors that carry no mark
        try (Reader reader = new UnicodeReader(Files.newInputStream(file))) {
            if (Files.isRegularFile(file) && Files.size(file) > MAX_BYTES) {
                problems.at((Mark) null, "the file is " + Files.size(file) + " bytes; a config is at most 3 MiB ("
                        + MAX_BYTES + " bytes): is it the right file?");
                return null;
            }
            // What Yaml.compose does, without a Yaml: that also sets up the object constructor
            // and the dumper (representer, emitter), about 100 classes laurel never uses.
            LoaderOptions options = new LoaderOptions();
            stream = new StreamReader(reader);
            return new Composer(new ParserImpl(stream, options), new Resolver(), options).getSingleNode();
        } catch (MarkedYAMLException e) {
            Mark problemMark = e.getProblemMark();
            Mark contextMark = e.getContextMark();
            StringBuilder message = new StringBuilder("invalid YAML: ")
                    .append(e.getProblem() != null ? e.getProblem() : e.getMessage());
            if (e.getContext() != null) {
                message.append(" (").append(e.getContext());
                if (contextMark != null && problemMark != null && contextMark.getLine() != problemMark.getLine()) {
                    message.append(" started at line ").append(contextMark.getLine() + 1)
                            .append(", column ").append(contextMark.getColumn() + 1);
                }
                message.append(')');
            }
            problems.at(problemMark != null ? problemMark : contextMark, message.toString());
        } catch (ReaderException e) {
            // SnakeYAML knows only the character's index; the admin needs its line and column.
            int[] place = placeOfCodePoint(file, e.getPosition());
            problems.at(place[0], place[1], "invalid YAML: the character U+" + String.format("%04X", e.getCodePoint())
                    + " is not allowed in YAML (control characters other than tab and line breaks are not);"
                    + " remove it");
        } catch (YAMLException e) {
            if (e.getCause() instanceof CharacterCodingException) {
                int[] place = placeOfBadUtf8(file);
                problems.at(place[0], place[1], "the file is not UTF-8"
                        + (place[2] < 0 ? "" : String.format(" from the byte 0x%02X here", place[2]))
                        + "; save it as UTF-8 (a Latin-1 editor or pasted text can leave such bytes, often in a"
                        + " comment)");
            } else {
                // such as the composer's nesting limit: at the place it was reading
                problems.at(stream == null ? null : stream.getMark(), "invalid YAML: " + e.getMessage());
            }
        } catch (IOException e) {
            problems.at((Mark) null, "cannot read the config file: " + describeIo(e));
        } catch (RuntimeException e) {
            // SnakeYAML's own slip on malformed text, which it should have reported as invalid
            // YAML (2.5: a NumberFormatException for a backslash-x escape cut short by the end of the file)
            problems.at(stream == null ? null : stream.getMark(), "invalid YAML: the YAML reader stopped here ("
                    + e + "); look for an unfinished quote or escape sequence (\\x, \\u, \\U) at or before"
                    + " this place");
        }
        return null;
    }

    /**
     * The 1-based line and column of the code point at {@code index} of the file read as
     * SnakeYAML's UnicodeReader reads it (UTF-16 after its byte order mark, else UTF-8), counting
     * line breaks as SnakeYAML does; {@code 0, 0} if the file cannot be read again.
     */
    static int[] placeOfCodePoint(Path file, int index) {
        String text;
        try {
            byte[] bytes = Files.readAllBytes(file);
            boolean utf16 = bytes.length >= 2 && ((bytes[0] & 0xFF) == 0xFE && (bytes[1] & 0xFF) == 0xFF
                    || (bytes[0] & 0xFF) == 0xFF && (bytes[1] & 0xFF) == 0xFE);
            text = new String(bytes, utf16 ? StandardCharsets.UTF_16 : StandardCharsets.UTF_8);
        } catch (IOException | OutOfMemoryError e) {
            return new int[] {0, 0};
        }
        int start = text.startsWith("\uFEFF") ? 1 : 0;
        return place(text, start, text.length(), index);
    }

    /**
     * Where the file stops being UTF-8: the 1-based line and column of its first malformed
     * sequence and that sequence's first byte; {@code 0, 0, -1} if the file cannot be read again
     * or is UTF-8 after all.
     */
    static int[] placeOfBadUtf8(Path file) {
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (IOException | OutOfMemoryError e) {
            return new int[] {0, 0, -1};
        }
        ByteBuffer in = ByteBuffer.wrap(bytes);
        CharBuffer out = CharBuffer.allocate(bytes.length + 1);
        // a new decoder reports malformed input (a sequence cut by the end too, at endOfInput)
        CoderResult result = StandardCharsets.UTF_8.newDecoder().decode(in, out, true);
        if (!result.isError()) {
            return new int[] {0, 0, -1};
        }
        int bad = bytes[in.position()] & 0xFF;
        out.flip();
        int start = out.length() > 0 && out.charAt(0) == '\uFEFF' ? 1 : 0;
        int[] place = place(out, start, out.length(), Integer.MAX_VALUE);
        return new int[] {place[0], place[1], bad};
    }

    /**
     * The 1-based line and column of code point {@code index} counted from {@code from}, or of
     * {@code to} if the text ends first. Line breaks as YAML 1.1 and SnakeYAML count them: LF,
     * CR (CRLF once), NEL, LS and PS.
     */
    private static int[] place(CharSequence text, int from, int to, int index) {
        int line = 1;
        int column = 1;
        int i = from;
        for (int n = 0; n < index && i < to; n++) {
            char c = text.charAt(i);
            boolean crlf = c == '\r' && i + 1 < to && text.charAt(i + 1) == '\n';
            i += Character.isHighSurrogate(c) && i + 1 < to && Character.isLowSurrogate(text.charAt(i + 1)) ? 2 : 1;
            if (crlf) {
                continue;   // the LF that follows ends the line
            }
            if (c == '\n' || c == '\r' || c == '\u0085' || c == '\u2028' || c == '\u2029') {
                line++;
                column = 1;
            } else {
                column++;
            }
        }
        return new int[] {line, column};
    }

    private static String describeIo(IOException e) {
        if (e instanceof NoSuchFileException) {
            return "no such file";
        }
        if (e instanceof AccessDeniedException) {
            return "permission denied";
        }
        return e.toString();
    }
}
