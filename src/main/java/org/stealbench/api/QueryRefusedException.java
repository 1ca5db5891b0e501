package org.stealbench.api;

/** The API refused a request (budget exhausted, or a defence stopped answering the client). */
public class QueryRefusedException extends RuntimeException {
    public QueryRefusedException(String message) {
        super(message);
    }
}
