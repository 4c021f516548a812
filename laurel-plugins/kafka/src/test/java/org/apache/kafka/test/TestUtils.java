package org.apache.kafka.test;

import java.io.File;
import java.io.IOException;

/**
 * The two methods of Kafka's own {@code org.apache.kafka.test.TestUtils} that its test kit
 * ({@code kafka-test-common-runtime}) calls when it builds a cluster: {@code SslManager}'s
 * constructor and {@code JaasUtils} create temporary files with them. Kafka builds that class
 * from its clients module's test sources but the published {@code kafka-clients} test jar
 * (4.4.0) does not contain it, so the test kit fails with NoClassDefFoundError without this.
 */
public final class TestUtils {
    private TestUtils() {
    }

    /** An empty temporary file, deleted when the JVM exits. */
    public static File tempFile() throws IOException {
        return tempFile("kafka", ".tmp");
    }

    /** An empty temporary file named PREFIX...SUFFIX, deleted when the JVM exits. */
    public static File tempFile(String prefix, String suffix) throws IOException {
        File f = File.createTempFile(prefix, suffix);
        f.deleteOnExit();
        return f;
    }
}
