package org.apache.kafka.test;

import org.apache.kafka.common.network.ConnectionMode;

import java.io.File;
import java.io.IOException;
import java.util.HashMap;
import java.util.Map;

/**
 * What Kafka's test kit ({@code SslManager}, built with every cluster) calls of Kafka's own
 * {@code TestSslUtils}, which the published {@code kafka-clients} test jar (4.4.0) lacks (see
 * {@link TestUtils}). The test kit only uses these files for SSL listeners; laurel's tests
 * configure their TLS listener with their own certificates, so the files stay empty.
 */
public final class TestSslUtils {
    private TestSslUtils() {
    }

    /** Names a key store and a trust store for the test kit's SSL listeners (not used here). */
    public static final class SslConfigsBuilder {
        private File trustStore;

        public SslConfigsBuilder(ConnectionMode mode) {
        }

        public SslConfigsBuilder createNewTrustStore(File file) {
            this.trustStore = file;
            return this;
        }

        public SslConfigsBuilder useExistingTrustStore(File file) {
            this.trustStore = file;
            return this;
        }

        public Map<String, Object> build() throws IOException {
            Map<String, Object> m = new HashMap<>();
            m.put("ssl.keystore.location", TestUtils.tempFile("kafka.keystore", ".jks").getPath());
            if (trustStore != null) {
                m.put("ssl.truststore.location", trustStore.getPath());
            }
            return m;
        }
    }
}
