package dev.laurel.plugins.kafka;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A private certificate authority for the TLS tests, made with the JDK's own {@code keytool}
 * (the JDK has no API to sign certificates): its certificate as PEM ({@link #caPem()}), a broker
 * key store and a client key store (PKCS#12, signed by the CA, each with its chain), and a second,
 * unrelated CA ({@link #otherCaPem()}) for the wrong-CA test. The broker's certificate names
 * {@code localhost} only (no IP address), so that a client that checks host names accepts it at
 * {@code localhost} and refuses it at {@code 127.0.0.1}.
 *
 * <pre>{@code
 * TestCertificates certs = TestCertificates.create(dir);
 * ... certs.caPem(), certs.brokerStore(), certs.clientStore(), certs.clientPasswordFile() ...
 * }</pre>
 */
public final class TestCertificates {
    /** The password of every key store here (tests only). */
    public static final String STORE_PASSWORD = "laurel-test-store";

    private final Path dir;

    private TestCertificates(Path dir) {
        this.dir = dir;
    }

    /** Makes the two CAs, the broker's and the client's key stores in {@code dir}. */
    public static TestCertificates create(Path dir) throws IOException, InterruptedException {
        TestCertificates c = new TestCertificates(dir);
        c.authority("ca", "CN=laurel test CA");
        c.authority("other-ca", "CN=someone else's CA");
        c.signed("broker", "CN=localhost", "SAN=dns:localhost");
        c.signed("client", "CN=laurel", null);
        Path password = dir.resolve("client.password");
        Files.writeString(password, STORE_PASSWORD + "\n");
        Files.setPosixFilePermissions(password, PosixFilePermissions.fromString("rw-------"));
        return c;
    }

    /** The CA that signed the broker's and the client's certificates, PEM. */
    public Path caPem() {
        return dir.resolve("ca.pem");
    }

    /** A CA that signed neither. */
    public Path otherCaPem() {
        return dir.resolve("other-ca.pem");
    }

    /** The broker's key and chain, PKCS#12, password {@link #STORE_PASSWORD}. */
    public Path brokerStore() {
        return dir.resolve("broker.p12");
    }

    /** The client's key and chain, PKCS#12 ({@code .p12}, as the kafka sink's client-certificate). */
    public Path clientStore() {
        return dir.resolve("client.p12");
    }

    /** A file holding the client store's password, mode 600 (the sink's client-certificate-password-file). */
    public Path clientPasswordFile() {
        return dir.resolve("client.password");
    }

    /** A self-signed CA in NAME.p12, its certificate in NAME.pem. */
    private void authority(String name, String dname) throws IOException, InterruptedException {
        keytool("-genkeypair", "-keystore", name + ".p12", "-alias", "ca", "-dname", dname,
                "-keyalg", "EC", "-groupname", "secp256r1", "-validity", "2", "-ext", "bc:c");
        keytool("-exportcert", "-keystore", name + ".p12", "-alias", "ca", "-rfc", "-file", name + ".pem");
    }

    /** A key in NAME.p12 with a certificate the CA signed, and the CA's after it (the chain). */
    private void signed(String name, String dname, String extension) throws IOException, InterruptedException {
        String store = name + ".p12";
        keytool("-genkeypair", "-keystore", store, "-alias", name, "-dname", dname,
                "-keyalg", "EC", "-groupname", "secp256r1", "-validity", "2");
        keytool("-certreq", "-keystore", store, "-alias", name, "-file", name + ".csr");
        List<String> sign = new ArrayList<>(List.of("-gencert", "-keystore", "ca.p12", "-alias", "ca",
                "-infile", name + ".csr", "-outfile", name + ".crt", "-rfc", "-validity", "2"));
        if (extension != null) {
            sign.addAll(List.of("-ext", extension));
        }
        keytool(sign.toArray(new String[0]));
        // with the CA trusted in the store, keytool puts the chain (certificate, CA) under the key
        keytool("-importcert", "-keystore", store, "-alias", "ca", "-file", "ca.pem", "-noprompt");
        keytool("-importcert", "-keystore", store, "-alias", name, "-file", name + ".crt");
    }

    private void keytool(String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "keytool").toString());
        command.addAll(List.of(args));
        command.addAll(List.of("-storetype", "PKCS12", "-storepass", STORE_PASSWORD));
        Process p = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true).start();
        p.getOutputStream().close();
        byte[] out = p.getInputStream().readAllBytes();
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new IOException("keytool " + args[0] + " took more than 60 s");
        }
        if (p.exitValue() != 0) {
            throw new IOException("keytool " + String.join(" ", args) + " failed (" + p.exitValue() + "): "
                    + new String(out, StandardCharsets.UTF_8));
        }
    }
}
