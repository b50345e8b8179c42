import io.portico.core.distribution.InstallationManifest;
import io.portico.core.distribution.InstallationManifest.Artifact;
import io.portico.core.distribution.InstallationManifest.Jar;
import io.portico.core.distribution.InstallationManifest.Kind;
import io.portico.core.distribution.TarGz;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import javax.xml.parsers.DocumentBuilderFactory;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;

/**
 * The build step that finishes a distribution the assembly plugin laid out in a directory: it
 * describes what the directory holds and packs it.
 *
 * <pre>
 * java -cp CORE_CLASS_PATH PackDistribution.java LOCAL_REPOSITORY VERSION NAME DIR ARCHIVE[,ARCHIVE...] [NAME DIR ARCHIVES]...
 * </pre>
 *
 * <p>Into DIR it writes {@code MANIFEST.txt} (an {@link InstallationManifest}: one line per plugin,
 * library and JVMCI jar with its version; a plugin that does not admit this core fails the build),
 * {@code THIRD-PARTY.txt} (each bundled third-party jar with the licence its pom declares, looked up
 * in the jar and the local Maven repository, parents included) and {@code licenses/JAR/} (the
 * LICENSE and NOTICE files the jar carries in META-INF). Then it writes each ARCHIVE with {@link
 * TarGz}, the writer of {@code portico dist}: a tar.gz holding DIR under a top directory named like
 * the archive without {@code .tar.gz}, with the files' modes ({@code bin/portico} is executable).
 *
 * <p>Run by the dist module's build with the JDK's source launcher and the core on the class path,
 * so it needs no compile step of its own.
 */
public final class PackDistribution {

    private PackDistribution() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length < 5 || (args.length - 2) % 3 != 0) {
            throw new IllegalArgumentException(
                    "usage: PackDistribution LOCAL_REPOSITORY VERSION (NAME DIR ARCHIVE[,ARCHIVE...])...");
        }
        Path repository = Path.of(args[0]);
        String version = args[1];
        for (int i = 2; i < args.length; i += 3) {
            Path dir = Path.of(args[i + 1]);
            describe(args[i], version, dir, repository);
            for (String archive : args[i + 2].split(",")) {
                Path file = Path.of(archive);
                TarGz.write(dir, file.getFileName().toString().replaceFirst("\\.tar\\.gz$", ""), file);
            }
        }
    }

    private static void describe(String name, String version, Path dir, Path repository) throws IOException {
        InstallationManifest manifest = InstallationManifest.scan(dir, name, version, jar -> coordinates(jar, repository));
        manifest.write(dir, List.of(), List.of());
        StringBuilder thirdParty = new StringBuilder("""
                Third-party software bundled with Portico %s (%s distribution), with the licence each
                declares. The licence and notice files the jars carry are in licenses/JAR/.

                """.formatted(version, name));
        for (Jar jar : manifest.jars()) {
            Artifact artifact = jar.artifact();
            if (jar.kind() != Kind.PLUGIN && !artifact.name().startsWith("io.portico:")) {
                Path file = dir.resolve(jar.path());
                thirdParty.append("%s %s (%s)%n".formatted(artifact.name(), artifact.version(), jar.path()));
                for (String licence : licences(artifact, file, repository)) {
                    thirdParty.append("    licence: ").append(licence).append('\n');
                }
                copyLicenceFiles(file, dir.resolve("licenses").resolve(stripJar(file)));
            }
        }
        Files.writeString(dir.resolve("THIRD-PARTY.txt"), thirdParty);
    }

    /** A jar's Maven coordinates. */
    private record Coordinates(String groupId, String artifactId, String version) {

        static Coordinates of(Artifact artifact) {
            String[] groupAndArtifact = artifact.name().split(":", 2);
            return new Coordinates(groupAndArtifact[0], groupAndArtifact[1], artifact.version());
        }

        Artifact artifact() {
            return new Artifact(groupId + ":" + artifactId, version);
        }
    }

    /**
     * The coordinates in the jar's META-INF/maven pom.properties, preferring the one its file is named
     * after; for a jar without any, where the same file lies in the local repository.
     */
    private static Artifact coordinates(Path jar, Path repository) {
        try {
            return readCoordinates(jar, repository).artifact();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + jar, e);
        }
    }

    private static Coordinates readCoordinates(Path jar, Path repository) throws IOException {
        String file = jar.getFileName().toString();
        Coordinates found = null;
        try (ZipFile zip = new ZipFile(jar.toFile())) {
            for (Enumeration<? extends ZipEntry> entries = zip.entries(); entries.hasMoreElements(); ) {
                ZipEntry entry = entries.nextElement();
                if (entry.getName().startsWith("META-INF/maven/") && entry.getName().endsWith("/pom.properties")) {
                    Properties pom = new Properties();
                    try (InputStream in = zip.getInputStream(entry)) {
                        pom.load(in);
                    }
                    Coordinates candidate = new Coordinates(pom.getProperty("groupId"), pom.getProperty("artifactId"),
                            pom.getProperty("version"));
                    if (found == null || file.startsWith(candidate.artifactId() + "-")) {
                        found = candidate;
                    }
                }
            }
        }
        return found != null ? found : inRepository(jar, repository);
    }

    /** The jars of the local repository by file name, read on the first jar without coordinates. */
    private static Map<String, List<Path>> repositoryJars;

    /** The coordinates of the file in {@code repository} (GROUP/ARTIFACT/VERSION/FILE) with the name and size of {@code jar}. */
    private static Coordinates inRepository(Path jar, Path repository) throws IOException {
        if (repositoryJars == null) {
            try (Stream<Path> walk = Files.walk(repository)) {
                repositoryJars = walk.filter(path -> path.toString().endsWith(".jar"))
                        .collect(Collectors.groupingBy(path -> path.getFileName().toString()));
            }
        }
        long size = Files.size(jar);
        for (Path path : repositoryJars.getOrDefault(jar.getFileName().toString(), List.of())) {
            if (Files.size(path) == size) {
                Path versionDir = path.getParent();
                Path artifactDir = versionDir.getParent();
                String group = repository.relativize(artifactDir.getParent()).toString().replace(File.separatorChar, '.');
                return new Coordinates(group, artifactDir.getFileName().toString(), versionDir.getFileName().toString());
            }
        }
        return new Coordinates("unknown", stripJar(jar), "unknown");
    }

    /** The licences of the pom of {@code artifact} or, when it declares none, of its nearest parent that does. */
    private static List<String> licences(Artifact artifact, Path jar, Path repository) {
        Coordinates coordinates = Coordinates.of(artifact);
        Document pom = repositoryPom(repository, coordinates.groupId(), coordinates.artifactId(), coordinates.version());
        if (pom == null) {
            pom = embeddedPom(jar, coordinates);
        }
        for (int depth = 0; pom != null && depth < 10; depth++) {
            List<String> licences = new ArrayList<>();
            for (Element licence : children(child(pom.getDocumentElement(), "licenses"), "license")) {
                String url = text(licence, "url");
                licences.add(text(licence, "name") + (url.isEmpty() ? "" : " <" + url + ">"));
            }
            if (!licences.isEmpty()) {
                return licences;
            }
            Element parent = child(pom.getDocumentElement(), "parent");
            pom = parent == null ? null
                    : repositoryPom(repository, text(parent, "groupId"), text(parent, "artifactId"), text(parent, "version"));
        }
        return List.of("not declared in its pom: see the files in licenses/" + stripJar(jar) + "/, if any");
    }

    private static Document repositoryPom(Path repository, String groupId, String artifactId, String version) {
        Path pom = repository.resolve(groupId.replace('.', '/')).resolve(artifactId).resolve(version)
                .resolve(artifactId + "-" + version + ".pom");
        if (!Files.isRegularFile(pom)) {
            return null;
        }
        try (InputStream in = Files.newInputStream(pom)) {
            return parse(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Document embeddedPom(Path jar, Coordinates coordinates) {
        try (ZipFile zip = new ZipFile(jar.toFile())) {
            ZipEntry entry = zip.getEntry("META-INF/maven/%s/%s/pom.xml".formatted(coordinates.groupId(), coordinates.artifactId()));
            if (entry == null) {
                return null;
            }
            try (InputStream in = zip.getInputStream(entry)) {
                return parse(in);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Document parse(InputStream in) throws IOException {
        try {
            DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
            factory.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
            return factory.newDocumentBuilder().parse(in);
        } catch (Exception e) {
            throw new IOException("cannot parse a pom: " + e.getMessage(), e);
        }
    }

    private static Element child(Element parent, String name) {
        List<Element> found = children(parent, name);
        return found.isEmpty() ? null : found.getFirst();
    }

    private static List<Element> children(Element parent, String name) {
        List<Element> found = new ArrayList<>();
        if (parent != null) {
            for (Node node = parent.getFirstChild(); node != null; node = node.getNextSibling()) {
                if (node instanceof Element element && element.getTagName().equals(name)) {
                    found.add(element);
                }
            }
        }
        return found;
    }

    private static String text(Element parent, String name) {
        Element element = child(parent, name);
        return element == null ? "" : element.getTextContent().trim().replaceAll("\\s+", " ");
    }

    /** Copies META-INF/LICENSE* and META-INF/NOTICE* of {@code jar} into {@code target}. */
    private static void copyLicenceFiles(Path jar, Path target) throws IOException {
        try (ZipFile zip = new ZipFile(jar.toFile())) {
            for (Enumeration<? extends ZipEntry> entries = zip.entries(); entries.hasMoreElements(); ) {
                ZipEntry entry = entries.nextElement();
                String name = entry.getName();
                if (!name.startsWith("META-INF/") || entry.isDirectory()) {
                    continue;
                }
                String file = name.substring("META-INF/".length());
                String upper = file.toUpperCase(Locale.ROOT);
                if (!file.contains("/") && (upper.startsWith("LICENSE") || upper.startsWith("NOTICE"))) {
                    Files.createDirectories(target);
                    try (InputStream in = zip.getInputStream(entry)) {
                        Files.copy(in, target.resolve(file));
                    }
                }
            }
        }
    }

    private static String stripJar(Path jar) {
        String name = jar.getFileName().toString();
        return name.substring(0, name.length() - ".jar".length());
    }
}
