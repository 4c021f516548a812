package dev.laurel.api.internal;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class MessageFieldsTest {

    private static List<String> pairs(String msg) {
        byte[] b = msg.getBytes(StandardCharsets.UTF_8);
        MessageFields m = new MessageFields(b, 0, b.length);
        List<String> out = new ArrayList<>();
        while (m.next()) {
            out.add(new String(b, m.keyStart(), m.keyEnd() - m.keyStart(), StandardCharsets.UTF_8) + "="
                    + (m.quoted() ? "q:" : "") + new String(b, m.valueStart(), m.valueEnd() - m.valueStart(),
                    StandardCharsets.UTF_8) + (m.isNone() ? " (none)" : ""));
        }
        return out;
    }

    @Test
    void readsBareAndQuotedValuesSkipsWordsWithoutAnEqualsSignAndKeepsAnUnclosedQuoteToTheEnd() {
        assertThat(pairs("op=PAM:session_open  grantors=pam_unix acct=\"alice b\" word hostname=? addr= x=\"tail"))
                .containsExactly("op=PAM:session_open", "grantors=pam_unix", "acct=q:alice b",
                        "hostname=? (none)", "addr= (none)", "x=q:tail");
    }

    @Test
    void findsTheFirstPairOfAKeyAndNothingForAPrefixOfOne() {
        byte[] b = "account=x acct=first acct=second".getBytes(StandardCharsets.US_ASCII);
        MessageFields m = MessageFields.find(b, 0, b.length, "acct");
        assertThat(new String(b, m.valueStart(), m.valueEnd() - m.valueStart(), StandardCharsets.US_ASCII))
                .isEqualTo("first");
        assertThat(MessageFields.find(b, 0, b.length, "acc")).isNull();
        assertThat(MessageFields.find(b, 8, 1, "x")).as("within the given range only").isNull();
    }
}
