package dev.laurel.plugins.ecs;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;

class MsgFieldsTest {
    private static final byte[] PAM = ("op=PAM:session_open grantors=pam_keyinit,pam_unix acct=\"audtest\""
            + " exe=\"/usr/sbin/runuser\" hostname=? addr=? terminal=? res=success").getBytes(StandardCharsets.UTF_8);

    private static String get(String key) {
        byte[] v = MsgFields.get(PAM, key);
        return v == null ? null : new String(v, StandardCharsets.UTF_8);
    }

    @Test
    void readsQuotedAndBareValuesOfAPamMessage() {
        assertThat(get("acct")).isEqualTo("audtest");
        assertThat(get("exe")).isEqualTo("/usr/sbin/runuser");
        assertThat(get("res")).isEqualTo("success");
        assertThat(get("op")).isEqualTo("PAM:session_open");
    }

    @Test
    void aQuestionMarkAMissingKeyOrAPrefixOfAKeyIsNoValue() {
        assertThat(get("addr")).isNull();
        assertThat(get("uid")).isNull();
        assertThat(get("ac")).isNull();
        assertThat(MsgFields.get(null, "res")).isNull();
        assertThat(MsgFields.get("x= y=\"unterminated".getBytes(StandardCharsets.UTF_8), "y")).hasSize(12);
    }
}
