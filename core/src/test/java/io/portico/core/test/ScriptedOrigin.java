package io.portico.core.test;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * An origin that misbehaves on purpose: a raw socket server on a free port of 127.0.0.1 whose
 * every accepted connection is served by a {@link Script}, on its own virtual thread. It records
 * what it read on each connection and whether it saw the end of the stream (or a reset), so
 * tests can tell what Portico sent upstream and when it gave a connection up.
 *
 * <pre>{@code
 * try (ScriptedOrigin origin = ScriptedOrigin.start(conn -> {
 *     conn.readHead();
 *     conn.send("HTTP/1.1 200 OK\r\nContent-Length: 100000\r\n\r\n0123456789");
 * })) {  // closes the connection when the script returns: the body is cut short
 *     ... proxy to origin.address() ...
 * }
 * }</pre>
 */
public final class ScriptedOrigin implements AutoCloseable {

    /** Serves one accepted connection; the connection is closed when it returns. */
    @FunctionalInterface
    public interface Script {
        /** Reads from and writes to {@code connection} as the test needs. */
        void serve(Connection connection) throws Exception;
    }

    /** One accepted connection, recording every byte read from it. */
    public static final class Connection {
        private final Socket socket;
        private final InputStream in;
        private final OutputStream out;
        private final ByteArrayOutputStream read = new ByteArrayOutputStream();
        private volatile boolean eof;

        Connection(Socket socket) throws IOException {
            this.socket = socket;
            socket.setSoTimeout(10_000);
            this.in = socket.getInputStream();
            this.out = socket.getOutputStream();
        }

        /**
         * Reads a request head up to its empty line; {@code null} when the stream ends first.
         * The body, if any, is left unread.
         */
        public String readHead() throws IOException {
            ByteArrayOutputStream head = new ByteArrayOutputStream();
            int matched = 0;
            while (matched < 4) {
                int b = readByte();
                if (b < 0) {
                    return null;
                }
                head.write(b);
                matched = b == "\r\n\r\n".charAt(matched) ? matched + 1 : (b == '\r' ? 1 : 0);
            }
            return head.toString(StandardCharsets.ISO_8859_1);
        }

        /** Reads up to {@code n} bytes, fewer only when the stream ends. */
        public byte[] readBytes(int n) throws IOException {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream(n);
            for (int i = 0; i < n; i++) {
                int b = readByte();
                if (b < 0) {
                    break;
                }
                bytes.write(b);
            }
            return bytes.toByteArray();
        }

        /** Sends {@code text} as ISO-8859-1 bytes. */
        public Connection send(String text) throws IOException {
            out.write(text.getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
            return this;
        }

        /** Reads (and records) everything until the peer closes or resets, or 10 seconds pass. */
        public void awaitEof() throws IOException {
            while (readByte() >= 0) {
                // recorded by readByte
            }
        }

        /** Whether the stream ended (or was reset) while reading. */
        public boolean sawEof() {
            return eof;
        }

        /** Every byte read so far, as ISO-8859-1 text. */
        public String received() {
            synchronized (read) {
                return read.toString(StandardCharsets.ISO_8859_1);
            }
        }

        /** The client port of this connection (Portico's side). */
        public int remotePort() {
            return socket.getPort();
        }

        private int readByte() throws IOException {
            if (eof) {
                return -1;
            }
            int b;
            try {
                b = in.read();
            } catch (SocketTimeoutException e) {
                throw e;
            } catch (IOException reset) {
                b = -1;
            }
            if (b < 0) {
                eof = true;
            } else {
                synchronized (read) {
                    read.write(b);
                }
            }
            return b;
        }
    }

    private final ServerSocket server;
    private final List<Connection> connections = new CopyOnWriteArrayList<>();

    private ScriptedOrigin(ServerSocket server) {
        this.server = server;
    }

    /** Starts accepting on a free port of 127.0.0.1, serving each connection with {@code script}. */
    public static ScriptedOrigin start(Script script) {
        try {
            ScriptedOrigin origin = new ScriptedOrigin(new ServerSocket(0, 50, InetAddress.getLoopbackAddress()));
            Thread.ofVirtual().name("scripted-origin-accept").start(() -> origin.acceptLoop(script));
            return origin;
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * A script answering every request of a connection with {@code response} (whole, bytes as
     * given), reading a request body announced by {@code Content-Length} first.
     */
    public static Script answering(String response) {
        return conn -> {
            String head;
            while ((head = conn.readHead()) != null) {
                conn.readBytes(contentLength(head));
                conn.send(response);
            }
        };
    }

    /** The {@code Content-Length} of a request head, or 0. */
    public static int contentLength(String head) {
        for (String line : head.split("\r\n")) {
            int colon = line.indexOf(':');
            if (colon > 0 && line.substring(0, colon).trim().equalsIgnoreCase("content-length")) {
                return Integer.parseInt(line.substring(colon + 1).trim());
            }
        }
        return 0;
    }

    private void acceptLoop(Script script) {
        while (!server.isClosed()) {
            Socket socket;
            try {
                socket = server.accept();
            } catch (IOException closed) {
                return;
            }
            Thread.ofVirtual().name("scripted-origin-conn").start(() -> serve(socket, script));
        }
    }

    private void serve(Socket socket, Script script) {
        try (socket) {
            Connection connection = new Connection(socket);
            connections.add(connection);
            script.serve(connection);
        } catch (Exception e) {
            // The test sees the effect through Portico; a broken script shows up as a failed assertion.
        }
    }

    /** The port it listens on. */
    public int port() {
        return server.getLocalPort();
    }

    /** {@code 127.0.0.1:<port>}. */
    public String address() {
        return "127.0.0.1:" + port();
    }

    /** The connections accepted so far, oldest first. */
    public List<Connection> connections() {
        return List.copyOf(connections);
    }

    /** Stops accepting and closes every connection. */
    @Override
    public void close() {
        try {
            server.close();
            for (Connection connection : connections) {
                connection.socket.close();
            }
        } catch (IOException e) {
            // closing anyway
        }
    }
}
