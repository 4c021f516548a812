package dev.laurel.dist;

import dev.laurel.engine.testkit.TestData;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every relative link in README.md and docs/ leads somewhere: the file or directory exists, and
 * a {@code #anchor} into a Markdown file names one of its headings (as GitHub makes anchors).
 */
class DocsLinksTest {
    private static final Path ROOT = TestData.root().toAbsolutePath().normalize();
    private static final Pattern LINK = Pattern.compile("\\[[^\\]]*\\]\\(([^)\\s]+)\\)");
    private static final Pattern CODE_SPAN = Pattern.compile("`[^`\n]*`");

    @Test
    void everyRelativeLinkInTheReadmeAndDocsResolves() throws IOException {
        List<Path> pages = new ArrayList<>(List.of(ROOT.resolve("README.md")));
        try (Stream<Path> docs = Files.walk(ROOT.resolve("docs"))) {
            docs.filter(p -> p.toString().endsWith(".md")).sorted().forEach(pages::add);
        }
        List<String> broken = new ArrayList<>();
        int checked = 0;
        for (Path page : pages) {
            for (String target : links(Files.readString(page))) {
                if (target.matches("^(https?|mailto):.*")) {
                    continue;
                }
                checked++;
                int hash = target.indexOf('#');
                String path = hash < 0 ? target : target.substring(0, hash);
                Path file = path.isEmpty() ? page : page.getParent().resolve(path).normalize();
                String where = ROOT.relativize(page) + ": (" + target + ")";
                if (!file.startsWith(ROOT) || !Files.exists(file)) {
                    broken.add(where + ": no " + (file.startsWith(ROOT) ? ROOT.relativize(file) : file));
                } else if (hash >= 0 && file.toString().endsWith(".md")
                        && !anchors(Files.readString(file)).contains(target.substring(hash + 1))) {
                    broken.add(where + ": no heading with anchor #" + target.substring(hash + 1)
                            + " in " + ROOT.relativize(file));
                }
            }
        }
        assertThat(broken).isEmpty();
        assertThat(checked).as("relative links checked").isGreaterThan(50);
    }

    @Test
    void theCheckFindsABrokenFileAndABrokenAnchor() {
        String page = "See [a](docs/format.md#no-such-heading), `[not a link](x)` and\n```\n[nor](y)\n```\n[b](nowhere.md).";
        assertThat(links(page)).containsExactly("docs/format.md#no-such-heading", "nowhere.md");
        assertThat(anchors("# laurel's JSON format (format version 1)\n## 7. Differences from LAUREL 0.5.1\n"
                + "### `SYSCALL`\n## Live\n## Live\n```\n# not a heading\n```\n"))
                .containsExactly("laurels-json-format-format-version-1", "7-differences-from-laurel-051",
                        "syscall", "live", "live-1");
    }

    /** The link targets of a Markdown page, outside code blocks and code spans. */
    static List<String> links(String markdown) {
        List<String> targets = new ArrayList<>();
        for (String line : prose(markdown)) {
            Matcher m = LINK.matcher(CODE_SPAN.matcher(line).replaceAll(""));   // [`type`](page) stays a link
            while (m.find()) {
                targets.add(m.group(1));
            }
        }
        return targets;
    }

    /** The anchors GitHub gives the headings of a Markdown page. */
    static Set<String> anchors(String markdown) {
        Set<String> anchors = new LinkedHashSet<>();
        Map<String, Integer> seen = new HashMap<>();
        for (String line : prose(markdown)) {
            if (!line.matches("^#{1,6} .*")) {
                continue;
            }
            String text = line.replaceFirst("^#+ ", "").strip().toLowerCase(Locale.ROOT)
                    .replaceAll("[^\\p{L}\\p{N} _-]", "").replace(' ', '-');
            int n = seen.merge(text, 1, Integer::sum);
            anchors.add(n == 1 ? text : text + "-" + (n - 1));
        }
        return anchors;
    }

    /** The lines of a Markdown page outside fenced code blocks. */
    private static List<String> prose(String markdown) {
        List<String> lines = new ArrayList<>();
        boolean inFence = false;
        for (String line : markdown.split("\n", -1)) {
            if (line.startsWith("```")) {
                inFence = !inFence;
            } else if (!inFence) {
                lines.add(line);
            }
        }
        return lines;
    }
}
