package dev.laurel.api;

import dev.laurel.api.internal.Records;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;

class RecordTest {

    private static Value.Token token(String s, Encoding e) {
        return new Value.Token(s.getBytes(StandardCharsets.UTF_8), e);
    }

    @Test
    void decodesHexAndQuotedValuesForCodeThatAsks() {
        Record r = new Record(RecordType.SYSCALL, new byte[0]);
        r.add("comm", token("perl", Encoding.DOUBLE_QUOTED));
        r.add("exe", token("2F7573722F62696E2F706572 6C".replace(" ", ""), Encoding.HEX));
        r.add("key", token("(null)", Encoding.NULL));
        assertThat(r.decoded("comm")).asString().isEqualTo("perl");
        assertThat(r.decoded("exe")).asString().isEqualTo("/usr/bin/perl");
        assertThat(r.decoded("key")).isNull();
        assertThat(r.decoded("absent")).isNull();
    }

    @Test
    void tokenIsComparesATokenInTheLineOrSetAndNeverText() {
        byte[] line = "success=yes exit=no".getBytes(StandardCharsets.ISO_8859_1);
        Record r = Records.create(RecordType.SYSCALL, line, 4);
        Records.addToken(r, "success", 8, 3, Encoding.BARE);
        Records.addToken(r, "exit", 17, 2, Encoding.BARE);
        r.add("set", token("yes", Encoding.BARE));
        r.add("text", Value.text("yes"));
        assertThat(Records.tokenIs(r, 0, "yes")).isTrue();
        assertThat(Records.tokenIs(r, 0, "ye")).isFalse();
        assertThat(Records.tokenIs(r, 1, "yes")).isFalse();
        assertThat(Records.tokenIs(r, 2, "yes")).isTrue();
        assertThat(Records.tokenIs(r, 3, "yes")).as("text is not a token").isFalse();
    }

    @Test
    void aTokenAddedWhereAFieldWasRemovedIsReadFromTheLine() {
        byte[] line = "a=1 b=2 c=3".getBytes(StandardCharsets.ISO_8859_1);
        Record r = Records.create(RecordType.SYSCALL, line, 2);
        Records.addToken(r, "a", 2, 1, Encoding.BARE);
        r.add("b", Value.text("two"));
        r.remove(1);
        Records.addToken(r, "c", 10, 1, Encoding.BARE);
        r.set("x", Value.number(9));
        r.remove("x");
        Records.addToken(r, "b", 6, 1, Encoding.BARE);
        assertThat(r.value(1)).isEqualTo(token("3", Encoding.BARE));
        assertThat(r.value(2)).isEqualTo(token("2", Encoding.BARE));
        assertThat(Records.tokenEncoding(r, 2)).isEqualTo(Encoding.BARE);
        assertThat(r.indexOf(new String("c"))).isEqualTo(1);
    }

    @Test
    void spansTellWhatTokenEncodingOffsetAndLengthTellForEveryField() {
        byte[] line = "a=1 b=\"two\" c=3 d=74".getBytes(StandardCharsets.ISO_8859_1);
        Record r = Records.create(RecordType.SYSCALL, line, 2);
        Records.addToken(r, "a", 2, 1, Encoding.BARE);
        Records.addToken(r, "b", 7, 3, Encoding.DOUBLE_QUOTED);
        Records.addToken(r, "c", 14, 1, Encoding.BARE);     // grows the arrays past 2
        Records.addToken(r, "d", 18, 2, Encoding.HEX);
        r.set(2, Value.text("three"));                        // no longer the token as parsed
        long[] spans = Records.spans(r);
        for (int i = 0; i < r.size(); i++) {
            assertThat(Records.spanEncoding(spans[i])).as("field %d", i).isEqualTo(Records.tokenEncoding(r, i));
            if (spans[i] != 0) {
                assertThat(Records.spanOffset(spans[i])).isEqualTo(Records.tokenOffset(r, i));
                assertThat(Records.spanLength(spans[i])).isEqualTo(Records.tokenLength(r, i));
            }
        }
        assertThat(spans[2]).isZero();
        assertThat(Records.spanEncoding(spans[1])).isEqualTo(Encoding.DOUBLE_QUOTED);
        assertThat(Records.spanOffset(spans[3])).isEqualTo(18);
        assertThat(Records.spans(new Record(RecordType.SYSCALL, line))).as("no field from the line").isNull();
    }

    @Test
    void malformedHexIsGivenAsWritten() {
        Value.Token odd = token("ABC", Encoding.HEX);
        assertThat(odd.decoded()).asString().isEqualTo("ABC");
    }

    @Test
    void parsesDecimalFieldsWithinSixtyFourBits() {
        Record r = new Record(RecordType.SYSCALL, new byte[0]);
        r.add("pid", token("724395", Encoding.BARE));
        r.add("exit", token("-2", Encoding.BARE));
        r.add("big", token("18446744073709551615", Encoding.BARE));
        r.add("min", token("-9223372036854775808", Encoding.BARE));
        r.add("arch", token("c000003e", Encoding.BARE));
        assertThat(r.getLong("pid", -1)).isEqualTo(724395);
        assertThat(r.getLong("exit", 0)).isEqualTo(-2);
        assertThat(r.getLong("big", -1)).isEqualTo(-1);
        assertThat(r.getLong("min", 0)).isEqualTo(Long.MIN_VALUE);
        assertThat(r.getLong("arch", -1)).isEqualTo(-1);
    }

    @Test
    void setReplacesInPlaceAndRemoveKeepsTheEnrichedBoundary() {
        Record r = Records.create(RecordType.PATH, new byte[0], 1);
        r.add("item", token("0", Encoding.BARE));
        r.add("name", token("/etc/passwd", Encoding.DOUBLE_QUOTED));
        Records.markEnrichedStart(r);
        r.add("OUID", token("root", Encoding.DOUBLE_QUOTED));
        r.set("name", Value.text("/etc/shadow"));
        assertThat(r.name(1)).isEqualTo("name");
        assertThat(r.value(1)).isEqualTo(Value.text("/etc/shadow"));
        assertThat(r.enrichedFrom()).isEqualTo(2);
        assertThat(r.remove("item")).isTrue();
        assertThat(r.enrichedFrom()).isEqualTo(1);
        assertThat(r.name(r.enrichedFrom())).isEqualTo("OUID");
        assertThat(r.size()).isEqualTo(2);
    }

    @Test
    void eventIdPrintsMillisecondsWithThreeDigits() {
        assertThat(new EventId(1626611363L, 7, 348501L)).hasToString("1626611363.007:348501");
        assertThat(new EventId(1626611363L, 720, 1L)).hasToString("1626611363.720:1");
    }

    @Test
    void recordTypesAreNamedFromTheKernelsList() {
        assertThat(RecordType.of(1336).name()).isEqualTo("URINGOP");
        assertThat(RecordType.named("SYSCALL")).isSameAs(RecordType.SYSCALL);
        assertThat(RecordType.of(9999).name()).isEqualTo("UNKNOWN[9999]");
        assertThat(RecordType.of(9999)).isSameAs(RecordType.of(9999));
        assertThat(RecordType.named("USER_START").isUserSpace()).isTrue();
        assertThat(RecordType.named("DAEMON_END").isUserSpace()).isTrue();
        assertThat(RecordType.named("ANOM_LOGIN_FAILURES").isUserSpace()).isTrue();
        assertThat(RecordType.SYSCALL.isUserSpace()).isFalse();
    }

    @Test
    void lineTokensReadLikeTheTokensTheyStandFor() {
        byte[] line = "pid=42 comm=\"sh\" exe=2F62696E".getBytes(StandardCharsets.US_ASCII);
        Record r = Records.create(RecordType.SYSCALL, line, 1);
        Records.addToken(r, "pid", 4, 2, Encoding.BARE);
        Records.addToken(r, "comm", 13, 2, Encoding.DOUBLE_QUOTED);
        r.add("ARGV", Value.text("x"));
        Records.addToken(r, "exe", 21, 8, Encoding.HEX);
        assertThat(r.size()).isEqualTo(4);
        assertThat(r.value(0)).isEqualTo(new Value.Token(line, 4, 2, Encoding.BARE));
        assertThat(r.getLong("pid", -1)).isEqualTo(42);
        assertThat(r.decoded("comm")).asString().isEqualTo("sh");
        assertThat(r.decoded("exe")).asString().isEqualTo("/bin");
        assertThat(Records.tokenEncoding(r, 2)).isNull();
        assertThat(Records.tokenEncoding(r, 3)).isEqualTo(Encoding.HEX);
        assertThat(Records.tokenOffset(r, 3)).isEqualTo(21);
        assertThat(Records.tokenLength(r, 3)).isEqualTo(8);
    }

    @Test
    void decodedLineTokenIsWhatItsTokenDecodesTo() {
        long seed = System.nanoTime();
        java.util.Random random = new java.util.Random(seed);
        Encoding[] encodings = Encoding.values();
        byte[] alphabet = "0123456789abcdefABCDEFxyz \"%".getBytes(StandardCharsets.ISO_8859_1);
        for (int run = 0; run < 2_000; run++) {
            byte[] line = new byte[random.nextInt(40)];
            for (int j = 0; j < line.length; j++) {
                line[j] = alphabet[random.nextInt(alphabet.length)];
            }
            Record asParsed = Records.create(RecordType.PATH, line, 2);
            Record asked = Records.create(RecordType.PATH, line, 2);
            int fields = 1 + random.nextInt(5);
            for (int f = 0; f < fields; f++) {
                int off = random.nextInt(line.length + 1);
                int len = random.nextInt(line.length - off + 1);
                Encoding enc = encodings[random.nextInt(encodings.length)];   // odd or bad hex too
                Records.addToken(asParsed, "f" + f, off, len, enc);
                Records.addToken(asked, "f" + f, off, len, enc);
            }
            for (int f = 0; f < fields; f++) {
                byte[] expected = ((Value.Token) asked.value(f)).decoded();
                assertThat(asParsed.decoded(f)).as("seed %d run %d field %d", seed, run, f).isEqualTo(expected);
                assertThat(asked.decoded(f)).as("seed %d run %d field %d", seed, run, f).isEqualTo(expected);
            }
        }
    }

    @Test
    void decodedByIndexOfAValueSetTellsTextAndNumbersAndNothingElse() {
        Record r = new Record(RecordType.SYSCALL, new byte[0]);
        r.add("t", Value.text("x y"));
        r.add("n", Value.number(-7));
        r.add("l", Value.list(java.util.List.of()));
        assertThat(r.decoded(0)).asString().isEqualTo("x y");
        assertThat(r.decoded(1)).asString().isEqualTo("-7");
        assertThat(r.decoded(2)).isNull();
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> r.decoded(3))
                .isInstanceOf(IndexOutOfBoundsException.class);
    }

    @Test
    void replacingOrRemovingALineTokenKeepsTheOthersInPlace() {
        byte[] line = "a=1 b=2 c=3".getBytes(StandardCharsets.US_ASCII);
        Record r = Records.create(RecordType.CWD, line, 1);   // grows while tokens are added
        Records.addToken(r, "a", 2, 1, Encoding.BARE);
        Records.addToken(r, "b", 6, 1, Encoding.BARE);
        Records.addToken(r, "c", 10, 1, Encoding.BARE);
        r.set("a", Value.number(7));
        assertThat(Records.tokenEncoding(r, 0)).isNull();
        assertThat(r.getLong("a", -1)).isEqualTo(7);
        r.remove("b");
        assertThat(r.name(1)).isEqualTo("c");
        assertThat(r.getLong("c", -1)).isEqualTo(3);
        assertThat(Records.tokenOffset(r, 1)).isEqualTo(10);
        r.add("d", Value.text("x"));
        assertThat(Records.tokenEncoding(r, 2)).isNull();
        assertThat(r.value(2)).isEqualTo(Value.text("x"));
    }

    @Test
    void aTokenOutsideTheLineIsRefused() {
        Record r = new Record(RecordType.CWD, new byte[4]);
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> Records.addToken(r, "a", 3, 2, Encoding.BARE))
                .isInstanceOf(IndexOutOfBoundsException.class);
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> Records.tokenEncoding(r, 0))
                .isInstanceOf(IndexOutOfBoundsException.class);
    }

    @Test
    void recordsMadeLikeAnotherShareNoChangesWithIt() {
        // Records made like the one before share its names until one of them differs: every
        // record, old or new, must keep exactly the fields it was given whatever the others do.
        byte[] line = "abcdefghij".getBytes(StandardCharsets.US_ASCII);
        String[] names = {"a0", "a1", "pid", "comm", "exe", "UID"};
        long seed = new java.util.Random().nextLong();
        java.util.Random random = new java.util.Random(seed);
        for (int run = 0; run < 300; run++) {
            java.util.List<Record> records = new java.util.ArrayList<>();
            java.util.List<java.util.List<String>> modelNames = new java.util.ArrayList<>();
            java.util.List<java.util.List<Value>> modelValues = new java.util.ArrayList<>();
            for (int step = 0; step < 60; step++) {
                int op = random.nextInt(10);
                if (records.isEmpty() || op == 0) {
                    Record r = records.isEmpty() || random.nextBoolean()
                            ? Records.create(RecordType.PATH, line, 1 + random.nextInt(4))
                            : Records.createLike(RecordType.PATH, line, records.get(random.nextInt(records.size())));
                    records.add(r);
                    modelNames.add(new java.util.ArrayList<>());
                    modelValues.add(new java.util.ArrayList<>());
                    continue;
                }
                int k = random.nextInt(records.size());
                Record r = records.get(k);
                java.util.List<String> n = modelNames.get(k);
                java.util.List<Value> v = modelValues.get(k);
                String name = names[random.nextInt(names.length)];
                if (op <= 4) {
                    int off = random.nextInt(line.length);
                    int len = random.nextInt(line.length - off + 1);
                    Records.addToken(r, name, off, len, Encoding.BARE);
                    n.add(name);
                    v.add(new Value.Token(line, off, len, Encoding.BARE));
                } else if (op == 5) {
                    Value x = Value.number(random.nextInt(100));
                    r.add(name, x);
                    n.add(name);
                    v.add(x);
                } else if (op == 6) {
                    Value x = Value.text("t" + step);
                    r.set(name, x);
                    int i = n.indexOf(name);
                    if (i < 0) {
                        n.add(name);
                        v.add(x);
                    } else {
                        v.set(i, x);
                    }
                } else if (!n.isEmpty()) {
                    int i = random.nextInt(n.size());
                    r.remove(i);
                    n.remove(i);
                    v.remove(i);
                }
                for (int j = 0; j < records.size(); j++) {
                    Record c = records.get(j);
                    java.util.List<String> gotNames = new java.util.ArrayList<>();
                    java.util.List<Value> gotValues = new java.util.ArrayList<>();
                    for (int f = 0; f < c.size(); f++) {
                        gotNames.add(c.name(f));
                        gotValues.add(c.value(f));
                    }
                    assertThat(gotNames).as("seed %d run %d step %d record %d", seed, run, step, j)
                            .isEqualTo(modelNames.get(j));
                    assertThat(gotValues).as("seed %d run %d step %d record %d", seed, run, step, j)
                            .isEqualTo(modelValues.get(j));
                }
            }
        }
    }
}
