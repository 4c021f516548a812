package dev.laurel.api.internal;

import dev.laurel.api.Value;
import org.junit.jupiter.api.Test;

import java.net.InetAddress;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

/** Expected texts are auditd 3.0.9's ({@code ausearch -i}) unless a test says otherwise. */
class SockaddrDecoderTest {

    static byte[] hex(String s) {
        return HexFormat.of().parseHex(s);
    }

    static String text(String saddr) {
        SockaddrDecoder.Decoded d = SockaddrDecoder.text(hex(saddr), true);
        return d == null ? null : ((Value.Text) d.value()).asString();
    }

    static Map<String, Value> object(String saddr) {
        return ((Value.ObjectValue) SockaddrDecoder.object(hex(saddr), true).value()).fields();
    }

    @Test
    void decodesInetAddressesFromTheRealCapture() {
        assertThat(text("020000350AFFFF350000000000000000")).isEqualTo("{saddr_fam=inet laddr=10.255.255.53 lport=53}");
        assertThat(text("020004D27F0000010000000000000000")).isEqualTo("{saddr_fam=inet laddr=127.0.0.1 lport=1234}");
    }

    @Test
    void decodesInet6WithGlibcCompression() {
        assertThat(text("0A000009000000000000000000000000000000000000000100000000"))
                .isEqualTo("{saddr_fam=inet6 laddr=::1 lport=9}");
        assertThat(text("0A0001BB0000000020010DB800000000000100000000000100000000"))
                .isEqualTo("{saddr_fam=inet6 laddr=2001:db8::1:0:0:1 lport=443}");
        assertThat(text("0A0001BB0000000000000000000000000000FFFF7F00000100000000"))
                .isEqualTo("{saddr_fam=inet6 laddr=::ffff:127.0.0.1 lport=443}");
    }

    @Test
    void writesAnIpv6ScopeAsItsNumber() {
        // auditd writes the local interface's name (fe80::1%eth0); a number does not depend on this machine
        assertThat(text("0A0001BB00000005FE80000000000000000000000000000102000000"))
                .isEqualTo("{saddr_fam=inet6 laddr=fe80::1%2 lport=443}");
        assertThat(object("0A0001BB00000005FE80000000000000000000000000000102000000"))
                .containsEntry("addr", Value.text("fe80::1"))
                .containsEntry("flowinfo", Value.number(5))
                .containsEntry("scope_id", Value.number(2));
    }

    @Test
    void decodesUnixPathsUpToTheirNul() {
        assertThat(text("01002F7661722F72756E2F6E7363642F736F636B6574000012AB"))
                .isEqualTo("{saddr_fam=local path=/var/run/nscd/socket}");
        assertThat(text("01002F72756E2F782E736F636B")).isEqualTo("{saddr_fam=local path=/run/x.sock}");
    }

    @Test
    void marksAbstractUnixNamesWithAnAt() {
        // auditd 3.0.9 drops the leading NUL without a mark; '@' is how ss(8) and strace show it
        assertThat(text("010000616273747261637400")).isEqualTo("{saddr_fam=local path=@abstract}");
    }

    @Test
    void decodesNetlinkAsAuditdAndLaurelDo() {
        assertThat(text("100000000000000000000000")).isEqualTo("{saddr_fam=netlink nlnk-fam=16 nlnk-pid=0}");
        Map<String, Value> expected = new LinkedHashMap<>();
        expected.put("saddr_fam", Value.text("netlink"));
        expected.put("pid", Value.number(1234));
        expected.put("groups", new Value.Number(5, Value.Radix.HEX));
        assertThat(object("10000000D204000005000000")).containsExactlyEntriesOf(expected);
    }

    @Test
    void decodesVsockWithLaurelsKeys() {
        assertThat(text("2800000000040000030000000000000000")).isEqualTo("{saddr_fam=vsock cid=3 port=1024}");
        assertThat(object("2800000000040000030000000000000000"))
                .containsExactly(Map.entry("saddr_fam", Value.text("vsock")), Map.entry("cid", Value.number(3)),
                        Map.entry("port", Value.number(1024)));
    }

    @Test
    void decodesPacketAddresses() {
        // struct sockaddr_ll: IPv4 (0x0800) on ifindex 2, ARPHRD_ETHER, PACKET_HOST, 6-byte MAC
        String ll = "110008000200000001000006AABBCCDDEEFF0000";
        assertThat(text(ll)).isEqualTo("{saddr_fam=packet proto=0x0800 ifindex=2 hatype=1 pkttype=0 addr=aa:bb:cc:dd:ee:ff}");
        assertThat(object(ll)).containsEntry("protocol", new Value.Number(0x800, Value.Radix.HEX))
                .containsEntry("addr", Value.text("aa:bb:cc:dd:ee:ff"));
    }

    @Test
    void decodesAx25Atmpvc() {
        assertThat(text("03004142434445464700000000000000")).isEqualTo("{saddr_fam=ax25 call=ABCDEFG}");
        assertThat(text("0800010203040506070809")).isEqualTo("{saddr_fam=atmpvc int=1027}");
    }

    @Test
    void namesFamiliesItCannotDecodeAsAuditdDoes() {
        assertThat(text("1F001122334455660000")).isEqualTo("{saddr_fam=bluetooth (unsupported)}");
        assertThat(text("63000000000000000000000000000000")).isEqualTo("unknown-family(99)");
        assertThat(text("00000000000000000000000000000000")).isEqualTo("unknown-family(0)");
        assertThat(object("63000000")).containsEntry("saddr_fam", Value.number(99));
    }

    @Test
    void callsOnlyFullyDecodedAddressesComplete() {
        assertThat(SockaddrDecoder.text(hex("020000350AFFFF350000000000000000"), true).complete()).isTrue();
        assertThat(SockaddrDecoder.object(hex("100000000000000000000000"), true).complete()).isTrue();
        assertThat(SockaddrDecoder.text(hex("1F001122334455660000"), true).complete()).isFalse();
        assertThat(SockaddrDecoder.text(hex("63000000"), true).complete()).isFalse();
        assertThat(SockaddrDecoder.object(hex("02000050"), true).complete()).isFalse();
    }

    @Test
    void saysWhenAnAddressIsTooShort() {
        assertThat(text("02000050")).isEqualTo("{saddr_fam=inet sockaddr len too short}");
        assertThat(text("0100")).isEqualTo("{saddr_fam=local sockaddr len too short}");
        assertThat(text("0A000050")).isEqualTo("{saddr_fam=inet6 sockaddr len too short}");
        assertThat(text("02")).isNull();
    }

    /** Any 16 bytes: the text parses back to the same address and is in canonical form. */
    @Test
    void ipv6TextRoundTripsAndIsCanonical() throws Exception {
        long seed = System.nanoTime();
        Random random = new Random(seed);
        for (int n = 0; n < 20_000; n++) {
            byte[] addr = new byte[16];
            for (int i = 0; i < 16; i += 2) {       // many zero groups, so that :: placement is exercised
                if (random.nextInt(3) != 0) {
                    addr[i] = (byte) (random.nextBoolean() ? 0 : random.nextInt(256));
                    addr[i + 1] = (byte) random.nextInt(256);
                }
            }
            String s = SockaddrDecoder.ipv6(addr, 0);
            try {
                byte[] back = InetAddress.getByName(s).getAddress();
                if (back.length == 4) {         // Java turns ::ffff:a.b.c.d into an IPv4 address
                    byte[] mapped = new byte[16];
                    mapped[10] = (byte) 0xff;
                    mapped[11] = (byte) 0xff;
                    System.arraycopy(back, 0, mapped, 12, 4);
                    back = mapped;
                }
                assertThat(back).isEqualTo(addr);
                assertThat(s.indexOf("::")).isEqualTo(s.lastIndexOf("::"));
                assertThat(s).doesNotContainPattern("(^|:)0[0-9a-f]").doesNotContain(":::");
                assertThat(s).isEqualTo(s.toLowerCase());
            } catch (AssertionError | Exception e) {
                fail("seed " + seed + ", address " + HexFormat.of().formatHex(addr) + " -> " + s + ": " + e.getMessage());
            }
        }
    }
}
