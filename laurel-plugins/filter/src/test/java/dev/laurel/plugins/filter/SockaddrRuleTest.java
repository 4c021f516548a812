package dev.laurel.plugins.filter;

import org.junit.jupiter.api.Test;

import java.net.InetAddress;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SockaddrRuleTest {

    private static byte[] ip(String literal) throws Exception {
        return InetAddress.getByName(literal).getAddress();
    }

    @Test
    void readsEveryWrittenForm() {
        SockaddrRule hostPort = SockaddrRule.parse("192.0.2.7:8080");
        assertThat(hostPort.prefix()).isEqualTo(32);
        assertThat(hostPort.port()).isEqualTo(8080);
        SockaddrRule net = SockaddrRule.parse("10.0.0.0/8");
        assertThat(net.prefix()).isEqualTo(8);
        assertThat(net.port()).isEqualTo(-1);
        SockaddrRule anyAddress = SockaddrRule.parse("*:53");
        assertThat(anyAddress.network()).isNull();
        assertThat(anyAddress.port()).isEqualTo(53);
        SockaddrRule v6Port = SockaddrRule.parse("[2001:db8::/32]:443");
        assertThat(v6Port.network()).hasSize(16);
        assertThat(v6Port.prefix()).isEqualTo(32);
        assertThat(v6Port.port()).isEqualTo(443);
        SockaddrRule v6 = SockaddrRule.parse("fe80::/10");
        assertThat(v6.prefix()).isEqualTo(10);
        assertThat(v6.port()).isEqualTo(-1);
        SockaddrRule mapped = SockaddrRule.parse("[::ffff:10.0.0.0/104]");
        assertThat(mapped.network()).hasSize(4);
        assertThat(mapped.prefix()).isEqualTo(8);
    }

    @Test
    void rejectsNamesBadPrefixesAndPortsWithoutLookingThemUp() {
        for (String bad : new String[] {"", "localhost", "host.example:80", "10.0.0.0/33", "::1/129", "1.2.3.4:65536",
                "1.2.3.4:", "*", "*:x", "[::1", "[::1]x", "[10.0.0.1]:80", "256.1.1.1", "1.2.3", "10.0.0.0/-1"}) {
            assertThatThrownBy(() -> SockaddrRule.parse(bad)).as(bad).isInstanceOf(IllegalArgumentException.class);
        }
    }

    @Test
    void aNetworkHoldsExactlyTheAddressesSharingItsPrefix() throws Exception {
        long seed = System.nanoTime();
        Random random = new Random(seed);
        for (int run = 0; run < 5_000; run++) {
            byte[] net = new byte[random.nextBoolean() ? 4 : 16];
            random.nextBytes(net);
            int prefix = random.nextInt(net.length * 8 + 1);
            byte[] addr = net.clone();
            // flip one bit: inside the prefix it must stop matching, after it it must still match
            int bit = random.nextInt(net.length * 8);
            addr[bit / 8] ^= (byte) (0x80 >>> (bit % 8));
            SockaddrRule rule = new SockaddrRule(net, prefix, -1, "test");
            assertThat(rule.matches(net, 1)).as("seed %d run %d", seed, run).isTrue();
            assertThat(rule.matches(addr, 1)).as("seed %d run %d bit %d prefix %d", seed, run, bit, prefix)
                    .isEqualTo(bit >= prefix);
        }
        assertThat(SockaddrRule.parse("10.0.0.0/8").matches(ip("::ffff:0a00:1"), 0)).isTrue();  // Java makes it IPv4
        assertThat(SockaddrRule.parse("::/0").matches(ip("10.0.0.1"), 0)).isFalse();
    }
}
