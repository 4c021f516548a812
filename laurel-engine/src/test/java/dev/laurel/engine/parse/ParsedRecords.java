package dev.laurel.engine.parse;

import dev.laurel.api.Record;
import dev.laurel.engine.testkit.TestData;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/** Test helpers: the test data's lines, and records compared field by field. */
final class ParsedRecords {
    private ParsedRecords() {
    }

    /** The lines of a file as bytes, without their newlines. */
    static List<byte[]> lines(Path file) {
        byte[] all;
        try {
            all = Files.readAllBytes(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        List<byte[]> lines = new ArrayList<>();
        int start = 0;
        for (int i = 0; i <= all.length; i++) {
            if (i == all.length || all[i] == '\n') {
                if (i > start || i < all.length) {
                    lines.add(java.util.Arrays.copyOfRange(all, start, i));
                }
                start = i + 1;
            }
        }
        return lines;
    }

    /** Every LAUREL fixture input: testdata/laurel-fixtures/*.txt and tree/*.txt. */
    static List<Path> fixtureFiles() {
        List<Path> files = new ArrayList<>();
        for (String dir : List.of("laurel-fixtures", "laurel-fixtures/tree")) {
            try (var s = Files.list(TestData.file(dir))) {
                s.filter(p -> p.toString().endsWith(".txt") && !p.getFileName().toString().equals("README.txt"))
                        .sorted().forEach(files::add);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return files;
    }

    /** Null if equal, else what differs. */
    static String difference(ParsedRecord a, ParsedRecord b) {
        if (!Objects.equals(a.node(), b.node())) {
            return "node " + a.node() + " vs " + b.node();
        }
        if (!a.id().equals(b.id())) {
            return "id " + a.id() + " vs " + b.id();
        }
        return difference(a.record(), b.record());
    }

    static String difference(Record a, Record b) {
        if (a.type() != b.type()) {
            return "type " + a.type() + " vs " + b.type();
        }
        if (a.size() != b.size()) {
            return "size " + a.size() + " vs " + b.size() + ": " + a + " vs " + b;
        }
        if (a.enrichedFrom() != b.enrichedFrom()) {
            return "enrichedFrom " + a.enrichedFrom() + " vs " + b.enrichedFrom();
        }
        for (int i = 0; i < a.size(); i++) {
            if (!a.name(i).equals(b.name(i))) {
                return "name " + i + ": " + a.name(i) + " vs " + b.name(i);
            }
            if (!a.value(i).equals(b.value(i))) {
                return "value of " + a.name(i) + ": " + a.value(i) + " vs " + b.value(i);
            }
        }
        return null;
    }
}
