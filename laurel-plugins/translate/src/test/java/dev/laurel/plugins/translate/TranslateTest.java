package dev.laurel.plugins.translate;

import dev.laurel.api.AuditEvent;
import dev.laurel.api.Enricher;
import dev.laurel.api.EventId;
import dev.laurel.api.Record;
import dev.laurel.api.RecordType;
import dev.laurel.api.Value;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class TranslateTest {

    // Real lines of testdata/real-enriched.log; RAW_* are the same lines without the ENRICHED tail.
    static final String SYSCALL_ENRICHED = "type=SYSCALL msg=audit(1795636821.179:40): arch=c000003e syscall=44 "
            + "success=yes exit=60 a0=3 a1=7ffc06f9fe50 a2=3c a3=0 items=0 ppid=2783 pid=2800 auid=4294967295 uid=0 "
            + "gid=0 euid=0 suid=0 fsuid=0 egid=0 sgid=0 fsgid=0 tty=(none) ses=4294967295 comm=\"auditd\" "
            + "exe=\"/usr/sbin/auditd\" key=(null)\u001dARCH=x86_64 SYSCALL=sendto AUID=\"unset\" UID=\"root\" "
            + "GID=\"root\" EUID=\"root\" SUID=\"root\" FSUID=\"root\" EGID=\"root\" SGID=\"root\" FSGID=\"root\"";
    static final String RAW_SYSCALL = SYSCALL_ENRICHED.substring(0, SYSCALL_ENRICHED.indexOf('\u001d'));
    static final String RAW_SOCKADDR_NETLINK = "type=SOCKADDR msg=audit(1795636823.179:42): saddr=100000000000000000000000";
    static final String RAW_SOCKADDR_INET6 = "type=SOCKADDR msg=audit(1795636828.059:611): "
            + "saddr=0A000009000000000000000000000000000000000000000100000000";
    static final String RAW_PATH = "type=PATH msg=audit(1795636823.179:42): item=0 name=\"/usr/bin/\" inode=260075 "
            + "dev=fe:00 mode=040755 ouid=0 ogid=0 rdev=00:00 nametype=PARENT cap_fp=0 cap_fi=0 cap_fe=0 cap_fver=0 "
            + "cap_frootid=0";
    static final String LOGIN_ENRICHED = "type=LOGIN msg=audit(1795636823.203:50): pid=3463 uid=0 "
            + "old-auid=4294967295 auid=1001 tty=(none) old-ses=4294967295 ses=1 res=1"
            + "\u001dUID=\"root\" OLD-AUID=\"unset\" AUID=\"audtest\"";

    static Path resource(String name) {
        return Path.of("src/test/resources/dev/laurel/plugins/translate", name).toAbsolutePath();
    }

    static Enricher translate(TestConfig config) throws Exception {
        config.with(TranslateFactory.PASSWD_FILE, resource("passwd").toString())
                .with(TranslateFactory.GROUP_FILE, resource("group").toString());
        return new TranslateFactory().create(config, new TestContext());
    }

    static Record run(Enricher e, String line) {
        Record r = RealLines.record(line);
        AuditEvent event = new AuditEvent(new EventId(1795636821L, 179, 40), null);
        event.records().add(r);
        e.enrich(event);
        return r;
    }

    static final String RAW_URINGOP = "type=URINGOP msg=audit(1737533617.373:12266329): uring_op=18 success=yes "
            + "exit=0 items=0 ppid=140504 pid=3178806 uid=0 gid=0 euid=0 suid=0 fsuid=0 egid=0 sgid=0 fsgid=0 "
            + "subj=unconfined key=(null)";

    @Test
    void namesTheIoUringOperationOnlyWithUringOpBeforeTheUserNamesAsLaurel08() throws Exception {
        Record off = run(translate(new TestConfig()), RAW_URINGOP);
        assertThat(off.get("URING_OP")).isNull();
        Record on = run(translate(new TestConfig().with(TranslateFactory.URING_OP, true)), RAW_URINGOP);
        assertThat(on.get("URING_OP")).isEqualTo(Value.text("openat"));
        assertThat(on.indexOf("URING_OP")).isLessThan(on.indexOf("UID"));
        // an operation the kernel does not audit has no name, and no URING_OP (as LAUREL 0.8)
        Record unknown = run(translate(new TestConfig().with(TranslateFactory.URING_OP, true)),
                RAW_URINGOP.replace("uring_op=18", "uring_op=1"));
        assertThat(unknown.get("URING_OP")).isNull();
    }

    @Test
    void readsTheSockaddrFamilyInTheByteOrderOfTheSyscallArch() throws Exception {
        Enricher e = translate(new TestConfig());
        // s390x (arch 80000016, big-endian): the family 2 (inet) is 0002, the port and address as everywhere
        AuditEvent event = new AuditEvent(new EventId(1795636821L, 179, 40), null);
        event.records().add(RealLines.record("type=SYSCALL msg=audit(1795636821.179:40): arch=80000016 syscall=362"
                + " success=yes exit=0 a0=3 a1=3ffd2c8 a2=10 a3=0 items=0 ppid=1 pid=77 auid=0 uid=0 gid=0 euid=0"
                + " suid=0 fsuid=0 egid=0 sgid=0 fsgid=0 tty=(none) ses=1 comm=\"dig\" exe=\"/usr/bin/dig\" key=(null)"));
        Record sockaddr = RealLines.record("type=SOCKADDR msg=audit(1795636821.179:40): saddr=000200350AFFFF350000000000000000");
        event.records().add(sockaddr);
        e.enrich(event);
        assertThat(text(sockaddr, "SADDR")).isEqualTo("{saddr_fam=inet laddr=10.255.255.53 lport=53}");
    }

    static List<String> names(Record r) {
        List<String> names = new ArrayList<>();
        for (int i = 0; i < r.size(); i++) {
            names.add(r.name(i));
        }
        return names;
    }

    static String text(Record r, String name) {
        Value v = r.get(name);
        if (v instanceof Value.Text t) {
            return t.asString();
        }
        return v == null ? null : v.toString();
    }

    @Test
    void addsUserNamesInFieldOrderThenArchAndSyscallAtTheEndLikeLaurel() throws Exception {
        Record r = run(translate(new TestConfig()), RAW_SYSCALL);

        List<String> names = names(r);
        assertThat(names.subList(names.indexOf("key") + 1, names.size())).containsExactly(
                "AUID", "UID", "GID", "EUID", "SUID", "FSUID", "EGID", "SGID", "FSGID", "ARCH", "SYSCALL");
        assertThat(text(r, "ARCH")).isEqualTo("x86_64");
        assertThat(text(r, "SYSCALL")).isEqualTo("sendto");
        assertThat(text(r, "AUID")).isEqualTo("unset");
        assertThat(text(r, "UID")).isEqualTo("root");
        assertThat(r.get("arch")).isNotNull();
        assertThat(r.get("uid")).isNotNull();
    }

    @Test
    void replacesAuditdsEnrichedTranslationsInsteadOfDuplicatingThem() throws Exception {
        Record r = run(translate(new TestConfig()), SYSCALL_ENRICHED);

        List<String> names = names(r);
        assertThat(names).doesNotHaveDuplicates();
        assertThat(names.subList(names.indexOf("key") + 1, names.size())).containsExactly(
                "AUID", "UID", "GID", "EUID", "SUID", "FSUID", "EGID", "SGID", "FSGID", "ARCH", "SYSCALL");
        assertThat(r.get("SYSCALL")).isInstanceOf(Value.Text.class);
        assertThat(text(r, "SYSCALL")).isEqualTo("sendto");
    }

    @Test
    void keepsAuditdsArchAndSyscallWhenUniversalIsOff() throws Exception {
        Record r = run(translate(new TestConfig().with(TranslateFactory.UNIVERSAL, false)), SYSCALL_ENRICHED);

        assertThat(r.get("ARCH")).isInstanceOf(Value.Token.class);      // auditd's, untouched
        assertThat(((Value.Token) r.get("SYSCALL")).rawString()).isEqualTo("sendto");
        assertThat(r.get("UID")).isInstanceOf(Value.Text.class);        // ours
        assertThat(names(r)).doesNotHaveDuplicates();
    }

    @Test
    void keepsAuditdsUserNamesWhenUserDbIsOff() throws Exception {
        Record r = run(translate(new TestConfig().with(TranslateFactory.USER_DB, false)), SYSCALL_ENRICHED);

        assertThat(r.get("UID")).isInstanceOf(Value.Token.class);
        assertThat(((Value.Token) r.get("AUID")).rawString()).isEqualTo("unset");
        assertThat(r.get("ARCH")).isInstanceOf(Value.Text.class);
        assertThat(names(r)).doesNotHaveDuplicates();
    }

    @Test
    void writesSockaddrAsAuditdsTextByDefault() throws Exception {
        Enricher e = translate(new TestConfig());

        assertThat(text(run(e, RAW_SOCKADDR_NETLINK), "SADDR")).isEqualTo("{saddr_fam=netlink nlnk-fam=16 nlnk-pid=0}");
        Record inet6 = run(e, RAW_SOCKADDR_INET6);
        assertThat(text(inet6, "SADDR")).isEqualTo("{saddr_fam=inet6 laddr=::1 lport=9}");
        assertThat(names(inet6)).containsExactly("saddr", "SADDR");
    }

    @Test
    void writesSockaddrAsLaurelsObjectWhenAsked() throws Exception {
        Record r = run(translate(new TestConfig().with(TranslateFactory.SOCKADDR, "object")), RAW_SOCKADDR_INET6);

        Map<String, Value> expected = new LinkedHashMap<>();
        expected.put("saddr_fam", Value.text("inet6"));
        expected.put("addr", Value.text("::1"));
        expected.put("port", Value.number(9));
        expected.put("flowinfo", Value.number(0));
        expected.put("scope_id", Value.number(0));
        assertThat(r.get("SADDR")).isEqualTo(Value.object(expected));
        assertThat(new ArrayList<>(((Value.ObjectValue) r.get("SADDR")).fields().keySet()))
                .containsExactly("saddr_fam", "addr", "port", "flowinfo", "scope_id");
    }

    @Test
    void dropRawRemovesExactlyTheFieldsThatGotATranslation() throws Exception {
        Enricher e = translate(new TestConfig().with(TranslateFactory.DROP_RAW, true));

        Record sc = run(e, SYSCALL_ENRICHED);
        assertThat(names(sc)).doesNotContain("arch", "syscall", "auid", "uid", "gid", "euid", "suid", "fsuid",
                "egid", "sgid", "fsgid");
        assertThat(names(sc)).contains("pid", "ppid", "ses", "a0", "comm", "ARCH", "SYSCALL", "UID");
        assertThat(names(run(e, RAW_SOCKADDR_NETLINK))).containsExactly("SADDR");
        Record path = run(e, RAW_PATH);
        assertThat(names(path)).doesNotContain("ouid", "ogid").contains("inode", "cap_frootid", "OUID", "OGID");
    }

    @Test
    void dropRawKeepsASockaddrItCouldNotFullyDecode() throws Exception {
        Enricher e = translate(new TestConfig().with(TranslateFactory.DROP_RAW, true));

        Record bluetooth = run(e, "type=SOCKADDR msg=audit(1795636900.000:1): saddr=1F001122334455660000");
        assertThat(names(bluetooth)).containsExactly("saddr", "SADDR");
        assertThat(text(bluetooth, "SADDR")).isEqualTo("{saddr_fam=bluetooth (unsupported)}");
    }

    @Test
    void readsASockaddrThatHexDecoderAlreadyDecoded() throws Exception {
        Record r = RealLines.record(RAW_SOCKADDR_NETLINK);
        r.set("saddr", Value.text(new byte[] {0x10, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0}));
        AuditEvent event = new AuditEvent(new EventId(1795636823L, 179, 42), null);
        event.records().add(r);

        translate(new TestConfig()).enrich(event);

        assertThat(text(r, "SADDR")).isEqualTo("{saddr_fam=netlink nlnk-fam=16 nlnk-pid=0}");
    }

    @Test
    void translatesEveryFieldEndingInUidOrGidWithAnUpperCaseKey() throws Exception {
        Record r = run(translate(new TestConfig()), LOGIN_ENRICHED);

        assertThat(names(r).subList(names(r).indexOf("res") + 1, r.size()))
                .containsExactly("UID", "OLD-AUID", "AUID");
        assertThat(text(r, "OLD-AUID")).isEqualTo("unset");
        assertThat(text(r, "AUID")).isEqualTo("audtest");
        Record path = run(translate(new TestConfig()), RAW_PATH);
        assertThat(text(path, "OUID")).isEqualTo("root");
        assertThat(text(path, "OGID")).isEqualTo("root");
        assertThat(path.get("CAP_FROOTID")).isNull();
    }

    @Test
    void keepsAuditdsNameForAnIdTheLocalDatabaseLacks() throws Exception {
        // the capture's LOGIN with ids the test database does not list (a log from another host)
        Record r = run(translate(new TestConfig()), LOGIN_ENRICHED
                .replace("pid=3463 uid=0 ", "pid=3463 uid=4243 ").replace("auid=1001", "auid=4244")
                .replace("UID=\"root\"", "UID=\"someone\""));

        assertThat(((Value.Token) r.get("AUID")).rawString()).isEqualTo("audtest");
        assertThat(((Value.Token) r.get("UID")).rawString()).isEqualTo("someone");
        assertThat(text(r, "OLD-AUID")).isEqualTo("unset");
        assertThat(names(r).subList(names(r).indexOf("res") + 1, r.size()))
                .containsExactly("UID", "OLD-AUID", "AUID");
    }

    @Test
    void writesUnknownForAnIdNeitherDatabaseNorAuditdNames() throws Exception {
        Record r = run(translate(new TestConfig()), RAW_SYSCALL.replace("auid=4294967295", "auid=4245"));

        assertThat(text(r, "AUID")).isEqualTo("unknown(4245)");
    }

    @Test
    void namesIdsTheDatabaseLacksLikeLaurel() throws Exception {
        Record r = run(translate(new TestConfig()),
                "type=CONFIG_CHANGE msg=audit(1795636900.000:2001): auid=4242 oauid=-1 ses=1 op=add_rule res=1");

        assertThat(text(r, "AUID")).isEqualTo("unknown(4242)");
        assertThat(text(r, "OAUID")).isEqualTo("unknown(-1)");
    }

    @Test
    void namesUnknownSyscallsAndArchitecturesAsAuditdDoes() throws Exception {
        Enricher e = translate(new TestConfig());

        Record unknownNr = run(e, RAW_SYSCALL.replace("syscall=44", "syscall=999"));
        assertThat(text(unknownNr, "ARCH")).isEqualTo("x86_64");
        assertThat(text(unknownNr, "SYSCALL")).isEqualTo("unknown-syscall(999)");
        Record unknownArch = run(e, RAW_SYSCALL.replace("arch=c000003e", "arch=12345678"));
        assertThat(text(unknownArch, "ARCH")).isEqualTo("unknown-elf-type(12345678)");
        assertThat(text(unknownArch, "SYSCALL")).isEqualTo("unknown-syscall(44)");
    }

    @Test
    void namesSyscallsOfOtherArchitectures() throws Exception {
        Enricher e = translate(new TestConfig());

        Record arm64 = run(e, RAW_SYSCALL.replace("arch=c000003e syscall=44", "arch=c00000b7 syscall=221"));
        assertThat(text(arm64, "ARCH")).isEqualTo("aarch64");
        assertThat(text(arm64, "SYSCALL")).isEqualTo("execve");
        Record riscv = run(e, RAW_SYSCALL.replace("arch=c000003e syscall=44", "arch=c00000f3 syscall=259"));
        assertThat(text(riscv, "ARCH")).isEqualTo("riscv64");
        assertThat(text(riscv, "SYSCALL")).isEqualTo("riscv_flush_icache");
    }

    @Test
    void picksUpAChangedPasswdFileOnceTheConfiguredCacheAgeHasPassed(@org.junit.jupiter.api.io.TempDir Path dir)
            throws Exception {
        Path passwd = dir.resolve("passwd");
        java.nio.file.Files.writeString(passwd, "root:x:0:0::/:/bin/sh\n");
        TestContext context = new TestContext();
        Enricher e = new TranslateFactory().create(new TestConfig()
                .with(TranslateFactory.PASSWD_FILE, passwd.toString())
                .with(TranslateFactory.GROUP_FILE, resource("group").toString())
                .with(TranslateFactory.USER_DB_CACHE, java.time.Duration.ofSeconds(10)), context);
        String line = "type=CONFIG_CHANGE msg=audit(1795636900.000:2001): auid=1001 ses=1 op=add_rule res=1";
        assertThat(text(run(e, line), "AUID")).isEqualTo("unknown(1001)");

        java.nio.file.Files.writeString(passwd, "root:x:0:0::/:/bin/sh\naudtest:x:1001:1001::/:/bin/sh\n");
        context.advance(java.time.Duration.ofSeconds(9));
        assertThat(text(run(e, line), "AUID")).isEqualTo("unknown(1001)");
        context.advance(java.time.Duration.ofSeconds(1));
        assertThat(text(run(e, line), "AUID")).isEqualTo("audtest");
    }

    @Test
    void leavesRecordsWithoutIdsOrAddressesAlone() throws Exception {
        String cwd = "type=CWD msg=audit(1795636823.179:42): cwd=\"/tmp\"";
        Record r = run(translate(new TestConfig()), cwd);

        assertThat(names(r)).containsExactly("cwd");
    }
}
