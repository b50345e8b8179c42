package io.portico.core.tls;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * Self-signed certificates made at test time with the {@code openssl} command, in the key
 * formats Portico reads.
 */
public final class TestCerts {

    /** How the private key is written. */
    public enum KeyFormat {
        /** {@code BEGIN PRIVATE KEY}, RSA. */
        PKCS8_RSA,
        /** {@code BEGIN RSA PRIVATE KEY}. */
        PKCS1_RSA,
        /** {@code BEGIN EC PRIVATE KEY}, P-256. */
        SEC1_EC
    }

    private TestCerts() {
    }

    /**
     * Writes {@code <name>.pem} and {@code <name>-key.pem} into {@code dir}: a certificate for
     * {@code CN=<cn>} with subject alternative names {@code sans} ({@code DNS:a.test,IP:127.0.0.1}).
     */
    public static void create(Path dir, String name, String cn, String sans, KeyFormat format) {
        Path cert = dir.resolve(name + ".pem");
        Path key = dir.resolve(name + "-key.pem");
        String subject = "/CN=" + cn;
        String san = "subjectAltName=" + sans;
        switch (format) {
            case PKCS8_RSA -> run(dir, "openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2",
                    "-subj", subject, "-addext", san, "-keyout", key.toString(), "-out", cert.toString());
            case PKCS1_RSA -> {
                run(dir, "openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2",
                        "-subj", subject, "-addext", san, "-keyout", key.toString(), "-out", cert.toString());
                run(dir, "openssl", "rsa", "-traditional", "-in", key.toString(), "-out", key.toString());
            }
            case SEC1_EC -> {
                run(dir, "openssl", "ecparam", "-name", "prime256v1", "-genkey", "-out", key.toString());
                run(dir, "openssl", "req", "-x509", "-new", "-key", key.toString(), "-days", "2",
                        "-subj", subject, "-addext", san, "-out", cert.toString());
            }
        }
    }

    /** A client SSL context trusting only the certificates in {@code certFiles}. */
    public static SSLContext trusting(Path... certFiles) throws Exception {
        KeyStore store = KeyStore.getInstance("PKCS12");
        store.load(null, null);
        int i = 0;
        for (Path file : certFiles) {
            for (X509Certificate cert : PemFiles.certificates(file)) {
                store.setCertificateEntry("cert" + i++, cert);
            }
        }
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(store);
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(null, tmf.getTrustManagers(), null);
        return context;
    }

    /** Runs a command in {@code dir}, failing with its output when it fails; returns its output. */
    public static String run(Path dir, String... command) {
        Ran ran = exec(dir, List.of(command));
        if (ran.exitCode() != 0) {
            throw new AssertionError(String.join(" ", command) + " failed: " + ran.output());
        }
        return ran.output();
    }

    /** How a command ended: its exit code and what it printed (standard output and error together). */
    public record Ran(int exitCode, String output) {
    }

    /** Runs {@code command} in {@code dir} with nothing on its input, within 30 seconds. */
    public static Ran exec(Path dir, List<String> command) {
        try {
            Process process = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true).start();
            process.getOutputStream().close();
            String output;
            try (InputStream in = process.getInputStream()) {
                output = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            }
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new AssertionError(String.join(" ", command) + " did not finish");
            }
            return new Ran(process.exitValue(), output);
        } catch (IOException e) {
            throw new AssertionError("cannot run " + command.getFirst(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }
}
