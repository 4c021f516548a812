package dev.laurel.plugins.syslog;

import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.Base64;
import java.util.Collection;

/**
 * Builds the {@link SSLContext} for {@code transport: tls} from files, again on every
 * {@link Transport.Opener#reload()} so that renewed certificates take effect on SIGHUP.
 *
 * @param caFile            PEM certificates to trust; {@code null}: the JVM's default trust
 * @param clientCertificate PEM chain, or a PKCS#12 file holding key and chain; {@code null}: none
 * @param clientKey         PEM PKCS#8 key for a PEM chain; {@code null} with PKCS#12
 * @param password          the PKCS#12 password, empty when none
 */
record TlsContext(Path caFile, Path clientCertificate, Path clientKey, String password) {

    SSLContext build() throws IOException {
        try {
            TrustManagerFactory tmf = null;
            if (caFile != null) {
                KeyStore trust = KeyStore.getInstance(KeyStore.getDefaultType());
                trust.load(null, null);
                int i = 0;
                for (Certificate c : certificates(caFile)) {
                    trust.setCertificateEntry("ca-" + i++, c);
                }
                if (i == 0) {
                    throw new IOException(caFile + " holds no PEM certificate");
                }
                tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
                tmf.init(trust);
            }
            KeyManagerFactory kmf = null;
            if (clientCertificate != null) {
                char[] pw = password.toCharArray();
                KeyStore keys;
                if (clientKey == null) {
                    keys = KeyStore.getInstance("PKCS12");
                    try (InputStream in = Files.newInputStream(clientCertificate)) {
                        keys.load(in, pw);
                    }
                } else {
                    keys = KeyStore.getInstance("PKCS12");
                    keys.load(null, null);
                    keys.setKeyEntry("client", privateKey(clientKey), pw,
                            certificates(clientCertificate).toArray(Certificate[]::new));
                }
                kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
                kmf.init(keys, pw);
            }
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(kmf == null ? null : kmf.getKeyManagers(),
                    tmf == null ? null : tmf.getTrustManagers(), null);
            return context;
        } catch (GeneralSecurityException e) {
            throw new IOException("cannot set up TLS: " + e.getMessage(), e);
        }
    }

    private static Collection<? extends Certificate> certificates(Path pem)
            throws IOException, GeneralSecurityException {
        try (InputStream in = Files.newInputStream(pem)) {
            return CertificateFactory.getInstance("X.509").generateCertificates(in);
        }
    }

    /** An unencrypted PKCS#8 key ({@code BEGIN PRIVATE KEY}), RSA or EC. */
    private static PrivateKey privateKey(Path pem) throws IOException, GeneralSecurityException {
        String text = Files.readString(pem, StandardCharsets.US_ASCII);
        int begin = text.indexOf("-----BEGIN PRIVATE KEY-----");
        int end = text.indexOf("-----END PRIVATE KEY-----");
        if (begin < 0 || end < begin) {
            throw new IOException(pem + ": expected an unencrypted PKCS#8 key (BEGIN PRIVATE KEY); "
                    + "convert with: openssl pkcs8 -topk8 -nocrypt -in KEY -out KEY.pk8");
        }
        byte[] der = Base64.getMimeDecoder().decode(
                text.substring(begin + "-----BEGIN PRIVATE KEY-----".length(), end));
        PKCS8EncodedKeySpec spec = new PKCS8EncodedKeySpec(der);
        GeneralSecurityException last = null;
        for (String algorithm : new String[] {"RSA", "EC", "Ed25519"}) {
            try {
                return KeyFactory.getInstance(algorithm).generatePrivate(spec);
            } catch (GeneralSecurityException e) {
                last = e;
            }
        }
        throw new IOException(pem + ": unsupported key type", last);
    }
}
