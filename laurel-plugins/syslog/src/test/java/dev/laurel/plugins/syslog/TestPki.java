package dev.laurel.plugins.syslog;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A CA, a server certificate for {@code localhost} (not for 127.0.0.1), and a client
 * certificate, made with the openssl command.
 */
final class TestPki {
    final Path ca;
    final Path caKey;
    final Path serverCert;
    final Path serverKey;
    final Path clientCert;
    final Path clientKey;
    final Path clientP12;
    static final String P12_PASSWORD = "changeit";

    TestPki(Path dir) throws IOException, InterruptedException {
        Files.createDirectories(dir);
        ca = dir.resolve("ca.pem");
        caKey = dir.resolve("ca.key");
        serverCert = dir.resolve("server.pem");
        serverKey = dir.resolve("server.key");
        clientCert = dir.resolve("client.pem");
        clientKey = dir.resolve("client.key");
        clientP12 = dir.resolve("client.p12");
        openssl(dir, "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", caKey.toString(),
                "-out", ca.toString(), "-days", "2", "-subj", "/CN=laurel test CA",
                "-addext", "basicConstraints=critical,CA:TRUE", "-addext", "keyUsage=critical,keyCertSign,cRLSign");
        leaf(dir, "server", "localhost", "subjectAltName=DNS:localhost\nextendedKeyUsage=serverAuth\n");
        leaf(dir, "client", "laurel-client", "subjectAltName=DNS:laurel-client\nextendedKeyUsage=clientAuth\n");
        openssl(dir, "pkcs12", "-export", "-in", clientCert.toString(), "-inkey", clientKey.toString(),
                "-out", clientP12.toString(), "-passout", "pass:" + P12_PASSWORD);
    }

    private void leaf(Path dir, String name, String cn, String ext) throws IOException, InterruptedException {
        Path extFile = dir.resolve(name + ".ext");
        Files.writeString(extFile, ext, StandardCharsets.US_ASCII);
        openssl(dir, "req", "-newkey", "rsa:2048", "-nodes", "-keyout", dir.resolve(name + ".key").toString(),
                "-out", dir.resolve(name + ".csr").toString(), "-subj", "/CN=" + cn);
        openssl(dir, "x509", "-req", "-in", dir.resolve(name + ".csr").toString(), "-CA", ca.toString(),
                "-CAkey", caKey.toString(), "-CAcreateserial", "-days", "2", "-extfile", extFile.toString(),
                "-out", dir.resolve(name + ".pem").toString());
    }

    private static void openssl(Path dir, String... args) throws IOException, InterruptedException {
        List<String> cmd = new java.util.ArrayList<>(List.of("openssl"));
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new IOException("openssl " + String.join(" ", args) + " failed:\n" + out);
        }
    }
}
