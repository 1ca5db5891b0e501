package org.stealbench.data;

/**
 * A dataset could not be found, read or validated. The message is meant for the user: it names
 * the file or id and says what is wrong and, where it helps, how to fix it.
 */
public class DatasetException extends RuntimeException {
    public DatasetException(String message) {
        super(message);
    }

    public DatasetException(String message, Throwable cause) {
        super(message, cause);
    }
}
