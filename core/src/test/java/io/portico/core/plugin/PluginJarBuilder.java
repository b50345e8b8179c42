package io.portico.core.plugin;

import java.io.IOException;
import java.io.StringWriter;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import javax.tools.JavaCompiler;
import javax.tools.JavaFileObject;
import javax.tools.SimpleJavaFileObject;
import javax.tools.StandardJavaFileManager;
import javax.tools.StandardLocation;
import javax.tools.ToolProvider;
import org.pf4j.processor.ExtensionAnnotationProcessor;

/**
 * Builds PF4J plugins at test time from Java sources, the way a plugin author's build would: the
 * sources are compiled against the test's classpath (plugin-api and PF4J) plus the plugin's
 * libraries, with PF4J's annotation processor writing {@code META-INF/extensions.idx}.
 *
 * <pre>{@code
 * Path jar = PluginJarBuilder.plugin("hello", "1.0.0")
 *         .source("com.example.Hello", "package com.example; ...")
 *         .writeJar(pluginsDir);
 * }</pre>
 *
 * <p>{@link #writeJar} writes a jar whose manifest holds the descriptor; {@link #writeZip} writes
 * the zip layout PF4J unpacks: {@code plugin.properties}, {@code classes/} and {@code lib/*.jar}.
 * {@link #library} compiles a plain jar to put in a plugin's {@code lib/}. Classes are compiled into
 * a temporary directory beside the target directory, so give a directory inside the test's own
 * temporary directory.
 */
public final class PluginJarBuilder {

    private final String id;
    private final String version;
    private final Map<String, String> sources = new LinkedHashMap<>();
    private final List<Path> libraries = new ArrayList<>();
    private String pluginClass;
    private String dependencies;
    private String requires;

    private PluginJarBuilder(String id, String version) {
        this.id = id;
        this.version = version;
    }

    /** A plugin with id {@code id} and version {@code version}. */
    public static PluginJarBuilder plugin(String id, String version) {
        return new PluginJarBuilder(id, version);
    }

    /** Adds the source of class {@code className}. */
    public PluginJarBuilder source(String className, String code) {
        sources.put(className, code);
        return this;
    }

    /** Compiles against {@code jar} and, in a zip, ships it in {@code lib/}. */
    public PluginJarBuilder library(Path jar) {
        libraries.add(jar);
        return this;
    }

    /** Sets the {@code Plugin-Class}, a subclass of {@code org.pf4j.Plugin}. */
    public PluginJarBuilder pluginClass(String className) {
        this.pluginClass = className;
        return this;
    }

    /** Sets the {@code Plugin-Dependencies}: {@code other-plugin@>=1.0.0, ...}. */
    public PluginJarBuilder dependencies(String dependencies) {
        this.dependencies = dependencies;
        return this;
    }

    /** Sets the {@code Plugin-Requires}: the plugin API versions it works with, {@code >=0.1.0}. */
    public PluginJarBuilder requires(String range) {
        this.requires = range;
        return this;
    }

    /** Writes {@code <id>-<version>.jar} into {@code dir}, with the descriptor in its manifest. */
    public Path writeJar(Path dir) throws IOException {
        Path classes = compile(sources, libraries, Files.createTempDirectory(dir.getParent(), id + "-classes"));
        Manifest manifest = new Manifest();
        Attributes main = manifest.getMainAttributes();
        main.put(Attributes.Name.MANIFEST_VERSION, "1.0");
        descriptor().forEach((key, value) -> main.putValue(manifestKey(key), value));
        Path jar = dir.resolve(id + "-" + version + ".jar");
        try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(jar), manifest)) {
            addTree(out, classes, "");
        }
        return jar;
    }

    /** Writes {@code <id>-<version>.zip} into {@code dir}: {@code plugin.properties}, {@code classes/}, {@code lib/}. */
    public Path writeZip(Path dir) throws IOException {
        Path classes = compile(sources, libraries, Files.createTempDirectory(dir.getParent(), id + "-classes"));
        Path zip = dir.resolve(id + "-" + version + ".zip");
        try (ZipOutputStream out = new ZipOutputStream(Files.newOutputStream(zip))) {
            Properties properties = new Properties();
            descriptor().forEach((key, value) -> properties.setProperty("plugin." + key, value));
            out.putNextEntry(new ZipEntry("plugin.properties"));
            properties.store(out, null);
            out.closeEntry();
            addTree(out, classes, "classes/");
            for (Path library : libraries) {
                out.putNextEntry(new ZipEntry("lib/" + library.getFileName()));
                Files.copy(library, out);
                out.closeEntry();
            }
        }
        return zip;
    }

    /** Compiles {@code sources} (class name to code) into the plain jar {@code jar}. */
    public static Path library(Path jar, Map<String, String> sources) throws IOException {
        Path classes = compile(sources, List.of(), Files.createTempDirectory(jar.getParent(), "library-classes"));
        try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(jar))) {
            addTree(out, classes, "");
        }
        return jar;
    }

    private Map<String, String> descriptor() {
        Map<String, String> descriptor = new LinkedHashMap<>();
        descriptor.put("id", id);
        descriptor.put("version", version);
        descriptor.put("provider", "Portico tests");
        if (pluginClass != null) {
            descriptor.put("class", pluginClass);
        }
        if (dependencies != null) {
            descriptor.put("dependencies", dependencies);
        }
        if (requires != null) {
            descriptor.put("requires", requires);
        }
        return descriptor;
    }

    private static String manifestKey(String key) {
        return "Plugin-" + Character.toUpperCase(key.charAt(0)) + key.substring(1);
    }

    private static Path compile(Map<String, String> sources, List<Path> libraries, Path out) throws IOException {
        JavaCompiler compiler = ToolProvider.getSystemJavaCompiler();
        List<JavaFileObject> units = new ArrayList<>();
        sources.forEach((name, code) -> units.add(new Source(name, code)));
        List<String> options = new ArrayList<>(List.of("--release", "25", "-classpath", classpath(libraries)));
        StringWriter diagnostics = new StringWriter();
        try (StandardJavaFileManager files = compiler.getStandardFileManager(null, null, null)) {
            files.setLocationFromPaths(StandardLocation.CLASS_OUTPUT, List.of(out));
            JavaCompiler.CompilationTask task = compiler.getTask(diagnostics, files, null, options, null, units);
            // Since JDK 23 javac runs no processor found on the classpath unless told: name PF4J's.
            task.setProcessors(List.of(new ExtensionAnnotationProcessor()));
            if (!task.call()) {
                throw new IllegalStateException("plugin sources do not compile:\n" + diagnostics);
            }
        }
        return out;
    }

    private static String classpath(List<Path> libraries) {
        List<String> entries = new ArrayList<>(List.of(System.getProperty("java.class.path")));
        libraries.forEach(library -> entries.add(library.toString()));
        return String.join(System.getProperty("path.separator"), entries);
    }

    private static void addTree(ZipOutputStream out, Path root, String prefix) throws IOException {
        List<Path> files;
        try (Stream<Path> walk = Files.walk(root)) {
            files = walk.filter(Files::isRegularFile).sorted().toList();
        }
        for (Path file : files) {
            String name = prefix + root.relativize(file).toString().replace('\\', '/');
            out.putNextEntry(out instanceof JarOutputStream ? new JarEntry(name) : new ZipEntry(name));
            Files.copy(file, out);
            out.closeEntry();
        }
    }

    /** A source held in memory. */
    private static final class Source extends SimpleJavaFileObject {
        private final String code;

        Source(String className, String code) {
            super(URI.create("string:///" + className.replace('.', '/') + Kind.SOURCE.extension), Kind.SOURCE);
            this.code = code;
        }

        @Override
        public CharSequence getCharContent(boolean ignoreEncodingErrors) {
            return code;
        }
    }
}
