package io.portico.core.distribution;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import javax.xml.parsers.DocumentBuilderFactory;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

/**
 * Finds plugin files by Maven coordinates in Maven repositories: remote ones by plain HTTP GET,
 * local ones (such as {@code ~/.m2/repository}) on disk, tried in order until one has the file.
 *
 * <p>Only the plugin's own jar or zip is fetched, never its dependencies: a PF4J plugin carries the
 * libraries it needs (shaded into the jar, or in a zip's {@code lib/}), and the plugin API and PF4J
 * are the core's. When the repository publishes a {@code .sha1} beside the file, the file's digest
 * must match it. A {@code -SNAPSHOT} version is looked up by its base name first and then through
 * the repository's {@code maven-metadata.xml}, which names the latest timestamped file.
 */
public final class PluginRepositories {

    private static final Duration TIMEOUT = Duration.ofMinutes(2);

    private final List<Repository> repositories;
    private final Path downloads;
    private HttpClient client;

    /**
     * @param repositories {@code http(s)://} URLs, {@code file:} URLs and paths, in lookup order
     * @param baseDir what relative paths are relative to
     * @param downloads where files from remote repositories are saved
     * @throws IllegalArgumentException when an entry is neither a URL nor a path
     */
    public PluginRepositories(List<String> repositories, Path baseDir, Path downloads) {
        this.repositories = repositories.stream().map(entry -> Repository.of(entry, baseDir)).toList();
        this.downloads = downloads;
    }

    /** A plugin file found in a repository. */
    public record Found(Path file, String location, boolean sha1Verified) {
    }

    /**
     * Finds the file of {@code coordinates}.
     *
     * @throws DistributionException when no repository has it, a download fails, or its digest
     *     does not match the published one
     */
    public Found resolve(MavenCoordinates coordinates) {
        List<String> looked = new ArrayList<>();
        for (Repository repository : repositories) {
            Found found = switch (repository) {
                case Repository.Local local -> fromDirectory(local.dir(), coordinates, looked);
                case Repository.Remote remote -> fromRemote(remote.uri(), coordinates, looked);
            };
            if (found != null) {
                return found;
            }
        }
        throw new DistributionException("maven " + coordinates + ": not found in any repository; looked for "
                + String.join(", ", looked));
    }

    // ---- local repositories ----

    private static Found fromDirectory(Path dir, MavenCoordinates coordinates, List<String> looked) {
        Path versionDir = dir.resolve(coordinates.directory());
        Path file = versionDir.resolve(coordinates.fileName());
        if (!Files.isRegularFile(file) && coordinates.isSnapshot()) {
            Path metadata = versionDir.resolve("maven-metadata.xml");
            if (Files.isRegularFile(metadata)) {
                String name = snapshotFileName(read(metadata), coordinates, metadata.toString());
                file = versionDir.resolve(name);
            }
        }
        if (!Files.isRegularFile(file)) {
            looked.add(file.toString());
            return null;
        }
        Path sha1 = file.resolveSibling(file.getFileName() + ".sha1");
        if (Files.isRegularFile(sha1)) {
            verify(coordinates, file, file.toString(), new String(read(sha1), StandardCharsets.US_ASCII));
        }
        return new Found(file, file.toString(), Files.isRegularFile(sha1));
    }

    private static byte[] read(Path file) {
        try {
            return Files.readAllBytes(file);
        } catch (IOException e) {
            throw new DistributionException("cannot read " + file + ": " + e, e);
        }
    }

    // ---- remote repositories ----

    private Found fromRemote(URI root, MavenCoordinates coordinates, List<String> looked) {
        String base = root.toString().replaceFirst("/+$", "") + "/" + coordinates.directory() + "/";
        String url = base + coordinates.fileName();
        byte[] content = get(url, coordinates);
        if (content == null && coordinates.isSnapshot()) {
            byte[] metadata = get(base + "maven-metadata.xml", coordinates);
            if (metadata != null) {
                url = base + snapshotFileName(metadata, coordinates, base + "maven-metadata.xml");
                content = get(url, coordinates);
            }
        }
        if (content == null) {
            looked.add(url);
            return null;
        }
        byte[] sha1 = get(url + ".sha1", coordinates);
        if (sha1 != null) {
            verify(coordinates, content, url, new String(sha1, StandardCharsets.US_ASCII));
        }
        Path file = downloads.resolve(url.substring(url.lastIndexOf('/') + 1));
        try {
            Files.createDirectories(downloads);
            Files.write(file, content);
        } catch (IOException e) {
            throw new DistributionException("cannot save " + url + " to " + file + ": " + e, e);
        }
        return new Found(file, url, sha1 != null);
    }

    /** The body of a 200 answer to GET {@code url}, or {@code null} on 404. */
    private byte[] get(String url, MavenCoordinates coordinates) {
        try {
            HttpResponse<byte[]> response = client().send(HttpRequest.newBuilder(URI.create(url)).timeout(TIMEOUT).build(),
                    HttpResponse.BodyHandlers.ofByteArray());
            return switch (response.statusCode()) {
                case 200 -> response.body();
                case 404 -> null;
                default -> throw new DistributionException("maven " + coordinates + ": GET " + url + " answered "
                        + response.statusCode() + ", expected 200 or 404");
            };
        } catch (IOException e) {
            throw new DistributionException("maven " + coordinates + ": GET " + url + " failed: " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new DistributionException("maven " + coordinates + ": interrupted while fetching " + url, e);
        }
    }

    private HttpClient client() {
        if (client == null) {
            client = HttpClient.newBuilder()
                    .followRedirects(HttpClient.Redirect.NORMAL)
                    .connectTimeout(Duration.ofSeconds(10))
                    .build();
        }
        return client;
    }

    // ---- shared ----

    /** The file name {@code maven-metadata.xml} gives the latest build of a snapshot. */
    private static String snapshotFileName(byte[] metadata, MavenCoordinates coordinates, String where) {
        try (InputStream in = new ByteArrayInputStream(metadata)) {
            DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
            factory.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
            Document document = factory.newDocumentBuilder().parse(in);
            NodeList versions = document.getElementsByTagName("snapshotVersion");
            for (int i = 0; i < versions.getLength(); i++) {
                Element version = (Element) versions.item(i);
                if (text(version, "extension").equals(coordinates.extension()) && text(version, "classifier").isEmpty()) {
                    return coordinates.artifactId() + "-" + text(version, "value") + "." + coordinates.extension();
                }
            }
        } catch (Exception e) {
            throw new DistributionException("maven " + coordinates + ": cannot read " + where + ": " + e, e);
        }
        throw new DistributionException("maven " + coordinates + ": " + where + " lists no " + coordinates.extension()
                + " for this snapshot");
    }

    private static String text(Element parent, String tag) {
        NodeList found = parent.getElementsByTagName(tag);
        return found.getLength() == 0 ? "" : found.item(0).getTextContent().trim();
    }

    private static void verify(MavenCoordinates coordinates, Path file, String where, String published) {
        verify(coordinates, read(file), where, published);
    }

    private static void verify(MavenCoordinates coordinates, byte[] content, String where, String published) {
        // A .sha1 file holds the digest, sometimes followed by the file name.
        String expected = published.trim().split("\\s+")[0].toLowerCase(Locale.ROOT);
        String actual;
        try {
            actual = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-1").digest(content));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime has SHA-1", e);
        }
        if (!actual.equals(expected)) {
            throw new DistributionException("maven " + coordinates + ": the SHA-1 of " + where + " is " + actual
                    + ", but its .sha1 says " + expected + ": the file is damaged or not the one published");
        }
    }

    /** A repository: a directory or a remote URL. */
    private sealed interface Repository {

        record Local(Path dir) implements Repository {
        }

        record Remote(URI uri) implements Repository {
        }

        static Repository of(String entry, Path baseDir) {
            String lower = entry.toLowerCase(Locale.ROOT);
            if (lower.startsWith("http://") || lower.startsWith("https://")) {
                return new Remote(URI.create(entry));
            }
            if (lower.startsWith("file:")) {
                return new Local(Path.of(URI.create(entry)));
            }
            if (entry.contains("://")) {
                throw new IllegalArgumentException("expected an http(s):// or file: URL, or a directory, got '" + entry + "'");
            }
            return new Local(Paths.resolve(baseDir, entry));
        }
    }
}
