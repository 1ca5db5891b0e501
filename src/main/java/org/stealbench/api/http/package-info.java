/**
 * The victim's API over HTTP: the server (Javalin), the accounting database (SQLite with Flyway migrations), the wire
 * formats, and the client that implements {@link org.stealbench.api.EncoderApi} over HTTP, so any theft can steal from a
 * remote victim.
 */
package org.stealbench.api.http;
