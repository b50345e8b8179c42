package io.portico.core.tcp;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A raw TCP origin for tests on a free port of 127.0.0.1: echoes what each connection sends, either
 * as it arrives or, with {@link #afterEof()}, all at once after the client shut its output. When
 * the client's bytes end it shuts its own output, then closes.
 */
final class EchoOrigin implements AutoCloseable {

    private final ServerSocket server;
    private final boolean afterEof;
    private final ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor();
    private final AtomicInteger accepted = new AtomicInteger();
    private final Set<Socket> open = ConcurrentHashMap.newKeySet();

    private EchoOrigin(boolean afterEof) throws IOException {
        this.server = new ServerSocket(0, 128, InetAddress.getLoopbackAddress());
        this.afterEof = afterEof;
        threads.execute(this::accept);
    }

    /** An origin that echoes bytes as they arrive. */
    static EchoOrigin start() throws IOException {
        return new EchoOrigin(false);
    }

    /** An origin that echoes everything only once the client has shut its output (half-closed). */
    static EchoOrigin afterEof() throws IOException {
        return new EchoOrigin(true);
    }

    private void accept() {
        while (!server.isClosed()) {
            try {
                Socket socket = server.accept();
                accepted.incrementAndGet();
                open.add(socket);
                threads.execute(() -> serve(socket));
            } catch (IOException e) {
                return;
            }
        }
    }

    private void serve(Socket socket) {
        try (socket; InputStream in = socket.getInputStream(); OutputStream out = socket.getOutputStream()) {
            if (afterEof) {
                out.write(in.readAllBytes());
            } else {
                in.transferTo(out);
            }
            socket.shutdownOutput();
        } catch (IOException e) {
            // the connection was cut: nothing to answer
        } finally {
            open.remove(socket);
        }
    }

    /** {@code 127.0.0.1:<port>}. */
    String address() {
        return "127.0.0.1:" + server.getLocalPort();
    }

    /** How many connections it has accepted. */
    int accepted() {
        return accepted.get();
    }

    /** How many of its connections are still open. */
    int open() {
        return open.size();
    }

    @Override
    public void close() throws IOException {
        server.close();
        for (Socket socket : open) {
            socket.close();
        }
        threads.shutdownNow();
    }
}
