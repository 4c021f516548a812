package dev.laurel.plugins.translate;

import dev.laurel.api.Value;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class UserDbTest {

    @TempDir
    Path dir;

    private final TestContext clock = new TestContext();

    private UserDb db(String passwd, String group, Duration maxAge) throws Exception {
        Files.writeString(dir.resolve("passwd"), passwd);
        Files.writeString(dir.resolve("group"), group);
        return new UserDb(dir.resolve("passwd"), dir.resolve("group"), maxAge, clock, clock.logger());
    }

    private void rewrite(String file, String content) throws Exception {
        Path p = dir.resolve(file);
        FileTime before = Files.getLastModifiedTime(p);
        Files.writeString(p, content);
        Files.setLastModifiedTime(p, FileTime.fromMillis(before.toMillis() + 1000));
    }

    @Test
    void namesUsersAndGroupsFromTheirFiles() throws Exception {
        UserDb db = db("root:x:0:0::/root:/bin/sh\naudtest:x:1001:1001::/home/a:/bin/sh\n",
                "root:x:0:\nnogroup:x:65534:\n", Duration.ofSeconds(60));

        assertThat(db.user(1001).asString()).isEqualTo("audtest");
        assertThat(db.group(65534).asString()).isEqualTo("nogroup");
        assertThat(db.group(1001).asString()).isEqualTo("unknown(1001)");   // users and groups are apart
    }

    @Test
    void writesUnsetForTheKernelsNoIdAndUnknownForOthers() throws Exception {
        UserDb db = db("root:x:0:0::/:/bin/sh\n", "root:x:0:\n", Duration.ofSeconds(60));

        assertThat(db.user(4294967295L).asString()).isEqualTo("unset");
        assertThat(db.group(4294967295L).asString()).isEqualTo("unset");
        assertThat(db.user(4242).asString()).isEqualTo("unknown(4242)");
        assertThat(db.user(-1).asString()).isEqualTo("unknown(-1)");
    }

    @Test
    void rereadsAChangedFileOnlyAfterTheCacheAge() throws Exception {
        UserDb db = db("alice:x:1000:1000::/:/bin/sh\n", "g:x:1:\n", Duration.ofSeconds(60));
        rewrite("passwd", "bob:x:1000:1000::/:/bin/sh\n");

        clock.advance(Duration.ofSeconds(59));
        assertThat(db.user(1000).asString()).isEqualTo("alice");
        clock.advance(Duration.ofSeconds(1));
        assertThat(db.user(1000).asString()).isEqualTo("bob");
    }

    @Test
    void keepsTheNamesItHadWhenTheFileDisappears() throws Exception {
        UserDb db = db("alice:x:1000:1000::/:/bin/sh\n", "g:x:1:\n", Duration.ofSeconds(1));
        Files.delete(dir.resolve("passwd"));

        clock.advance(Duration.ofSeconds(5));
        assertThat(db.user(1000).asString()).isEqualTo("alice");
    }

    @Test
    void firstLineOfAnIdWinsAndJunkIsSkipped() {
        Map<Long, Value.Text> names = UserDb.parse(("# comment\n+nis::0:0:::\nroot:x:0:0::/:/bin/sh\n"
                + "toor:x:0:0::/:/bin/sh\nbroken line\nnoid:x::0::/:\nbad:x:12a:0::/:\n\nlast:x:7:7::/:/bin/sh")
                .getBytes(StandardCharsets.UTF_8));

        assertThat(names).containsOnlyKeys(0L, 7L);
        assertThat(names.get(0L).asString()).isEqualTo("root");
        assertThat(names.get(7L).asString()).isEqualTo("last");
    }

    @Test
    void keepsNamesThatAreNotUtf8ByteForByte() {
        byte[] file = {'j', (byte) 0xf6, 'r', 'g', ':', 'x', ':', '5', ':', '5', ':', ':', '/', ':', '\n'};

        assertThat(UserDb.parse(file).get(5L).bytes()).containsExactly('j', (byte) 0xf6, 'r', 'g');
    }
}
