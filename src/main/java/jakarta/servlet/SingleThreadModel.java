package jakarta.servlet;

/**
 * Servlet 5's deprecated marker interface, removed in Servlet 6. Spark 4.0's (shaded) Jetty 11 still
 * checks servlets against it when Spark sets up its metrics servlet, while this process carries the
 * Servlet 6 API that Javalin's Jetty 12 needs; nothing implements it (decision 0019).
 */
@Deprecated
public interface SingleThreadModel {
}
