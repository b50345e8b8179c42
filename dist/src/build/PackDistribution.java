import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.jar.JarFile;
import java.util.jar.Manifest;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import java.util.zip.GZIPOutputStream;
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
 * java PackDistribution.java LOCAL_REPOSITORY VERSION NAME DIR ARCHIVE[,ARCHIVE...] [NAME DIR ARCHIVES]...
 * </pre>
 *
 * <p>Into DIR it writes {@code MANIFEST.txt} (one line per plugin, library and JVMCI jar with its
 * version), {@code THIRD-PARTY.txt} (each bundled third-party jar with the licence its pom
 * declares, looked up in the jar and the local Maven repository, parents included) and {@code
 * licenses/JAR/} (the LICENSE and NOTICE files the jar carries in META-INF). Then it writes each
 * ARCHIVE, a tar.gz holding DIR under a top directory named like the archive without {@code
 * .tar.gz}; files in {@code bin/} are executable.
 *
 * <p>Run by the dist module's build with the JDK's single-file launcher, so it needs no compile
 * step and no dependency.
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
                pack(dir, Path.of(archive));
            }
        }
    }

    // ---- MANIFEST.txt, THIRD-PARTY.txt, licenses/ ----

    /** A jar's Maven coordinates, or its file name when it carries none. */
    private record Coordinates(String groupId, String artifactId, String version) {
        String key() {
            return groupId + ":" + artifactId;
        }
    }

    private static void describe(String name, String version, Path dir, Path repository) throws IOException {
        StringBuilder manifest = new StringBuilder("""
                # What this Portico installation holds: one line per plugin, library and JVMCI jar.
                distribution: %s
                version: %s
                """.formatted(name, version));
        StringBuilder thirdParty = new StringBuilder("""
                Third-party software bundled with Portico %s (%s distribution), with the licence each
                declares. The licence and notice files the jars carry are in licenses/JAR/.

                """.formatted(version, name));
        for (Path plugin : files(dir.resolve("plugins"))) {
            Properties descriptor = pluginDescriptor(plugin);
            manifest.append("plugin: %s %s plugins/%s%n".formatted(descriptor.getProperty("id"),
                    descriptor.getProperty("version"), plugin.getFileName()));
        }
        for (String folder : List.of("lib", "jvmci")) {
            for (Path jar : files(dir.resolve(folder))) {
                Coordinates coordinates = coordinates(jar, repository);
                String where = folder + "/" + jar.getFileName();
                manifest.append("%s: %s %s %s%n".formatted(folder.equals("lib") ? "library" : "jvmci",
                        coordinates.key(), coordinates.version(), where));
                if (!coordinates.groupId().equals("io.portico")) {
                    thirdParty.append("%s %s (%s)%n".formatted(coordinates.key(), coordinates.version(), where));
                    for (String licence : licences(coordinates, jar, repository)) {
                        thirdParty.append("    licence: ").append(licence).append('\n');
                    }
                    copyLicenceFiles(jar, dir.resolve("licenses").resolve(stripJar(jar)));
                }
            }
        }
        Files.writeString(dir.resolve("MANIFEST.txt"), manifest);
        Files.writeString(dir.resolve("THIRD-PARTY.txt"), thirdParty);
    }

    private static List<Path> files(Path folder) throws IOException {
        if (!Files.isDirectory(folder)) {
            return List.of();
        }
        try (Stream<Path> list = Files.list(folder)) {
            return list.filter(Files::isRegularFile)
                    .filter(f -> f.toString().endsWith(".jar") || f.toString().endsWith(".zip"))
                    .sorted()
                    .toList();
        }
    }

    /** The PF4J descriptor (id, version) of a plugin jar's manifest or a plugin zip's plugin.properties. */
    private static Properties pluginDescriptor(Path plugin) throws IOException {
        Properties descriptor = new Properties();
        if (plugin.toString().endsWith(".zip")) {
            try (ZipFile zip = new ZipFile(plugin.toFile()); InputStream in = zip.getInputStream(zip.getEntry("plugin.properties"))) {
                Properties properties = new Properties();
                properties.load(in);
                descriptor.setProperty("id", properties.getProperty("plugin.id"));
                descriptor.setProperty("version", properties.getProperty("plugin.version"));
            }
        } else {
            try (JarFile jar = new JarFile(plugin.toFile())) {
                Manifest manifest = jar.getManifest();
                if (manifest == null || manifest.getMainAttributes().getValue("Plugin-Id") == null) {
                    throw new IllegalStateException(plugin + " is not a plugin: no Plugin-Id in its manifest");
                }
                descriptor.setProperty("id", manifest.getMainAttributes().getValue("Plugin-Id"));
                descriptor.setProperty("version", manifest.getMainAttributes().getValue("Plugin-Version"));
            }
        }
        return descriptor;
    }

    /**
     * The coordinates in the jar's META-INF/maven pom.properties, preferring the one its file is named
     * after; for a jar without any, where the same file lies in the local repository.
     */
    private static Coordinates coordinates(Path jar, Path repository) throws IOException {
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

    /** The licences of the pom of {@code coordinates} or, when it declares none, of its nearest parent that does. */
    private static List<String> licences(Coordinates coordinates, Path jar, Path repository) {
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

    // ---- tar.gz ----

    /** Writes {@code dir} as a POSIX (ustar) tar, gzipped, under the top directory the archive is named after. */
    private static void pack(Path dir, Path archive) throws IOException {
        String top = archive.getFileName().toString().replaceFirst("\\.tar\\.gz$", "");
        List<Path> entries;
        try (Stream<Path> walk = Files.walk(dir)) {
            entries = walk.sorted().toList();
        }
        try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(archive))) {
            for (Path path : entries) {
                String relative = dir.relativize(path).toString().replace('\\', '/');
                String name = relative.isEmpty() ? top + "/" : top + "/" + relative + (Files.isDirectory(path) ? "/" : "");
                boolean directory = Files.isDirectory(path);
                boolean executable = directory || relative.startsWith("bin/");
                long size = directory ? 0 : Files.size(path);
                out.write(header(name, executable ? 0755 : 0644, size, Files.getLastModifiedTime(path).toMillis() / 1000,
                        directory ? '5' : '0'));
                if (!directory) {
                    Files.copy(path, out);
                    out.write(new byte[(int) ((512 - size % 512) % 512)]);
                }
            }
            out.write(new byte[1024]);
        }
    }

    private static byte[] header(String name, int mode, long size, long mtime, char type) {
        byte[] header = new byte[512];
        byte[] bytes = name.getBytes(StandardCharsets.UTF_8);
        String prefix = "";
        String rest = name;
        if (bytes.length > 100) {
            // ustar splits a long name at a '/' into a prefix (up to 155 bytes) and a name (up to 100).
            int cut = name.lastIndexOf('/', name.endsWith("/") ? name.length() - 2 : name.length() - 1);
            while (cut > 155 || name.length() - cut - 1 > 100) {
                if (cut <= 0 || name.length() - cut - 1 > 100) {
                    throw new IllegalArgumentException("path too long for a tar header: " + name);
                }
                cut = name.lastIndexOf('/', cut - 1);
            }
            prefix = name.substring(0, cut);
            rest = name.substring(cut + 1);
        }
        put(header, 0, 100, rest.getBytes(StandardCharsets.UTF_8));
        octal(header, 100, 8, mode);
        octal(header, 108, 8, 0);
        octal(header, 116, 8, 0);
        octal(header, 124, 12, size);
        octal(header, 136, 12, mtime);
        header[156] = (byte) type;
        put(header, 257, 6, "ustar\0".getBytes(StandardCharsets.US_ASCII));
        put(header, 263, 2, "00".getBytes(StandardCharsets.US_ASCII));
        put(header, 345, 155, prefix.getBytes(StandardCharsets.UTF_8));
        // The checksum is computed with its own field filled with spaces.
        for (int i = 148; i < 156; i++) {
            header[i] = ' ';
        }
        long sum = 0;
        for (byte b : header) {
            sum += b & 0xff;
        }
        String checksum = "%06o".formatted(sum);
        put(header, 148, 6, checksum.getBytes(StandardCharsets.US_ASCII));
        header[154] = 0;
        header[155] = ' ';
        return header;
    }

    private static void octal(byte[] header, int offset, int length, long value) {
        String digits = "%0" + (length - 1) + "o";
        put(header, offset, length - 1, digits.formatted(value).getBytes(StandardCharsets.US_ASCII));
    }

    private static void put(byte[] header, int offset, int length, byte[] value) {
        if (value.length > length) {
            throw new IllegalArgumentException("tar header field too long: " + new String(value, StandardCharsets.UTF_8));
        }
        System.arraycopy(value, 0, header, offset, value.length);
    }
}
