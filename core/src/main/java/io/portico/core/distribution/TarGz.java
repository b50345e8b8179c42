package io.portico.core.distribution;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import java.util.zip.GZIPOutputStream;

/**
 * Writes a directory as a gzipped POSIX tar, the format {@code tar -xzf} unpacks everywhere.
 *
 * <p>Entries keep the file's executable bit (mode 0755, else 0644; directories 0755), so a
 * launcher and a bundled runtime's {@code bin/java} stay runnable. A symbolic link is stored as the
 * file it points to. Names longer than the 100 bytes of the tar header go in a PAX extended header.
 * Owner and group are 0, so nothing of the build machine's accounts leaks into the archive.
 */
public final class TarGz {

    private static final int BLOCK = 512;

    private TarGz() {
    }

    /**
     * Writes {@code dir} to {@code archive}, every entry under the top directory {@code top}.
     *
     * @throws IOException when a file cannot be read or the archive written
     */
    public static void write(Path dir, String top, Path archive) throws IOException {
        List<Path> paths;
        try (Stream<Path> walk = Files.walk(dir)) {
            paths = walk.sorted().toList();
        }
        try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(archive), 64 * 1024)) {
            for (Path path : paths) {
                String relative = dir.relativize(path).toString().replace('\\', '/');
                boolean directory = Files.isDirectory(path);
                String name = relative.isEmpty() ? top + "/" : top + "/" + relative + (directory ? "/" : "");
                long size = directory ? 0 : Files.size(path);
                int mode = directory || executable(path) ? 0755 : 0644;
                long mtime = Files.getLastModifiedTime(path).toMillis() / 1000;
                writeName(out, name, mtime);
                out.write(header(truncate(name), mode, size, mtime, directory ? '5' : '0'));
                if (!directory) {
                    Files.copy(path, out);
                    pad(out, size);
                }
            }
            out.write(new byte[2 * BLOCK]);
        }
    }

    private static boolean executable(Path path) throws IOException {
        try {
            Set<PosixFilePermission> permissions = Files.getPosixFilePermissions(path);
            return permissions.contains(PosixFilePermission.OWNER_EXECUTE);
        } catch (UnsupportedOperationException e) {
            return Files.isExecutable(path);
        }
    }

    /** For a name too long for the header, a PAX extended header that carries it. */
    private static void writeName(OutputStream out, String name, long mtime) throws IOException {
        if (name.getBytes(StandardCharsets.UTF_8).length <= 100) {
            return;
        }
        // A PAX record is "LENGTH path=NAME\n", where LENGTH counts the whole record, itself included.
        String body = " path=" + name + "\n";
        int bodyLength = body.getBytes(StandardCharsets.UTF_8).length;
        int length = bodyLength + 1;
        while (String.valueOf(length).length() + bodyLength != length) {
            length = String.valueOf(length).length() + bodyLength;
        }
        byte[] record = (length + body).getBytes(StandardCharsets.UTF_8);
        out.write(header(truncate("PaxHeaders/" + name.replace('/', '_')), 0644, record.length, mtime, 'x'));
        out.write(record);
        pad(out, record.length);
    }

    /** The last 100 bytes' worth of characters of {@code name}: the header's name when a PAX header carries the real one. */
    private static String truncate(String name) {
        String tail = name;
        while (tail.getBytes(StandardCharsets.UTF_8).length > 100) {
            tail = tail.substring(1);
        }
        return tail;
    }

    private static void pad(OutputStream out, long size) throws IOException {
        out.write(new byte[(int) ((BLOCK - size % BLOCK) % BLOCK)]);
    }

    private static byte[] header(String name, int mode, long size, long mtime, char type) {
        byte[] header = new byte[BLOCK];
        put(header, 0, name.getBytes(StandardCharsets.UTF_8));
        octal(header, 100, 8, mode);
        octal(header, 108, 8, 0);
        octal(header, 116, 8, 0);
        octal(header, 124, 12, size);
        octal(header, 136, 12, mtime);
        header[156] = (byte) type;
        put(header, 257, "ustar\0".getBytes(StandardCharsets.US_ASCII));
        put(header, 263, "00".getBytes(StandardCharsets.US_ASCII));
        // The checksum is the sum of the header's bytes, its own field counted as spaces.
        for (int i = 148; i < 156; i++) {
            header[i] = ' ';
        }
        long sum = 0;
        for (byte b : header) {
            sum += b & 0xff;
        }
        put(header, 148, "%06o\0 ".formatted(sum).getBytes(StandardCharsets.US_ASCII));
        return header;
    }

    private static void octal(byte[] header, int offset, int length, long value) {
        put(header, offset, ("%0" + (length - 1) + "o").formatted(value).getBytes(StandardCharsets.US_ASCII));
    }

    private static void put(byte[] header, int offset, byte[] value) {
        System.arraycopy(value, 0, header, offset, value.length);
    }
}
