package dev.laurel.plugins.ocsf;

import com.fasterxml.jackson.databind.JsonNode;
import dev.laurel.engine.testkit.TestData;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * User-space records the capture and fixtures lack (user management, a failed remote login, a
 * hex-encoded account), through the real parser and assembler: each validates against its class.
 */
class OcsfUserRecordsTest {
    private static final OcsfValidator VALIDATOR = new OcsfValidator(OcsfSchema.load(TestData.file("ocsf-1.8.0")));

    @TempDir
    Path dir;

    private List<OcsfChain.Encoded> run(String... lines) throws IOException {
        Path log = dir.resolve("audit.log");
        Files.write(log, List.of(lines));
        List<OcsfChain.Encoded> events = OcsfChain.run(log);
        for (OcsfChain.Encoded e : events) {
            assertThat(VALIDATOR.validate(e.ocsf())).as(e.ocsfText()).isEmpty();
        }
        return events;
    }

    @Test
    void addUserIsAnAccountChangeCreatingTheAccount() throws IOException {
        JsonNode e = run("type=ADD_USER msg=audit(1700000000.123:500): pid=4242 uid=0 auid=1000 ses=3 "
                + "subj=unconfined msg='op=add-user acct=\"bob\" exe=\"/usr/sbin/useradd\" hostname=web-1 addr=? "
                + "terminal=pts/0 res=success'").get(0).ocsf();
        assertThat(e.get("type_uid").asInt()).isEqualTo(300101);
        assertThat(e.at("/user/name").asText()).isEqualTo("bob");
        assertThat(e.at("/actor/process/pid").asInt()).isEqualTo(4242);
        assertThat(e.at("/actor/process/file/path").asText()).isEqualTo("/usr/sbin/useradd");
        assertThat(e.at("/actor/user/uid").asText()).isEqualTo("1000");
        assertThat(e.at("/actor/session/terminal").asText()).isEqualTo("pts/0");
        assertThat(e.get("status_id").asInt()).isEqualTo(1);
        assertThat(e.at("/unmapped/ADD_USER/msg").asText()).startsWith("op=add-user acct=\"bob\"");
    }

    @Test
    void aFailedRemoteAuthenticationHasItsSourceAndFailure() throws IOException {
        JsonNode e = run("type=USER_AUTH msg=audit(1700000001.456:501): pid=5151 uid=0 auid=4294967295 "
                + "ses=4294967295 subj=unconfined msg='op=PAM:authentication grantors=? acct=\"root\" "
                + "exe=\"/usr/sbin/sshd\" hostname=203.0.113.9 addr=203.0.113.9 terminal=ssh res=failed'")
                .get(0).ocsf();
        assertThat(e.get("type_uid").asInt()).isEqualTo(300299);
        assertThat(e.get("activity_name").asText()).isEqualTo("authenticated");
        assertThat(e.get("status_id").asInt()).isEqualTo(2);
        assertThat(e.at("/user/name").asText()).isEqualTo("root");
        assertThat(e.at("/src_endpoint/ip").asText()).isEqualTo("203.0.113.9");
        assertThat(e.at("/status_detail").asText()).isEqualTo("PAM:authentication");
        assertThat(e.at("/actor/session").isMissingNode()).as("ses unset").isFalse();    // the terminal
        assertThat(e.at("/actor/session/uid").isMissingNode()).isTrue();
    }

    @Test
    void aHexEncodedAccountIsDecoded() throws IOException {
        JsonNode e = run("type=USER_LOGIN msg=audit(1700000002.789:502): pid=6161 uid=0 auid=1001 ses=7 "
                + "msg='op=login acct=6A6F686E20646F65 exe=\"/usr/sbin/sshd\" hostname=? addr=? terminal=/dev/pts/2 "
                + "res=success'").get(0).ocsf();
        assertThat(e.get("type_uid").asInt()).isEqualTo(300201);
        assertThat(e.at("/user/name").asText()).isEqualTo("john doe");
    }

    @Test
    void messageValuesAreBareQuotedOrHexAndQuestionMarkIsNone() {
        byte[] msg = "op=PAM:setcred acct=\"DEADBEEF\" id=42 addr=? exe=\"/bin/su\" hex=414243".getBytes();
        UserMessage m = new UserMessage(msg, 0, msg.length);
        assertThat(m.account()).isEqualTo("DEADBEEF");      // quoted: as it is, even if it looks like hex
        assertThat(m.get("op")).isEqualTo("PAM:setcred");
        assertThat(m.get("id")).isEqualTo("42");
        assertThat(m.get("addr")).isNull();
        assertThat(m.get("exe")).isEqualTo("/bin/su");
        assertThat(m.get("absent")).isNull();
        assertThat(UserMessage.unhex("414243")).isEqualTo("ABC");
        assertThat(UserMessage.unhex("root")).isEqualTo("root");
    }
}
