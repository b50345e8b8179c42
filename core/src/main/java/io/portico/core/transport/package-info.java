/** The I/O transport (native epoll or NIO) and its event loop groups, shared by server and client sides. */
package io.portico.core.transport;
