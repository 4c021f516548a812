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
import org.yaml.snakeyaml.reader.StreamReader;
import org.yaml.snakeyaml.reader.UnicodeReader;
import org.yaml.snakeyaml.resolver.Resolver;

import java.io.IOException;
import java.io.Reader;
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
        try (Reader reader = new UnicodeReader(Files.newInputStream(file))) {
            if (Files.isRegularFile(file) && Files.size(file) > MAX_BYTES) {
                problems.at((Mark) null, "the file is " + Files.size(file) + " bytes; a config is at most 3 MiB ("
                        + MAX_BYTES + " bytes): is it the right file?");
                return null;
            }
            // What Yaml.compose does, without a Yaml: that also sets up the object constructor
            // and the dumper (representer, emitter), about 100 classes laurel never uses.
            LoaderOptions options = new LoaderOptions();
            return new Composer(new ParserImpl(new StreamReader(reader), options), new Resolver(), options)
                    .getSingleNode();
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
        } catch (YAMLException e) {
            problems.at((Mark) null, "invalid YAML: " + e.getMessage());
        } catch (IOException e) {
            problems.at((Mark) null, "cannot read the config file: " + describeIo(e));
        }
        return null;
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
