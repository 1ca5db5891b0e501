package org.stealbench.api;

/**
 * The API refused a request (budget exhausted, or a defence stopped answering the client).
 * {@link #blocksClient()}: the defence has flagged the client for good (PRADA), so a server that
 * keeps its accounting refuses the client from then on, also after a restart.
 */
public class QueryRefusedException extends RuntimeException {

    private final boolean blocksClient;

    public QueryRefusedException(String message) {
        this(message, false);
    }

    public QueryRefusedException(String message, boolean blocksClient) {
        super(message);
        this.blocksClient = blocksClient;
    }

    public boolean blocksClient() {
        return blocksClient;
    }
}
