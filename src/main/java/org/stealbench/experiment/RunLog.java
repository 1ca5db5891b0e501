package org.stealbench.experiment;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.FileAppender;
import ch.qos.logback.core.filter.Filter;
import ch.qos.logback.core.spi.FilterReply;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.UUID;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * A run's own log file (run.log): while it is open, everything the run's thread logs through
 * SLF4J (phases, warnings, a failure with its stack trace) is appended to the file as well as to
 * the console. Runs in parallel threads each get their own file: the appender keeps the events
 * whose thread carries this run's id in the MDC. The file lives beside the run's checkpoint and
 * is copied into the results folder, so a resumed run's log holds every session.
 */
public final class RunLog implements AutoCloseable {

    static final String MDC_KEY = "stealbench.run";

    private final Path file;
    private final String id = UUID.randomUUID().toString();
    private final FileAppender<ILoggingEvent> appender;
    private final String previous;

    private RunLog(Path file) {
        this.file = file;
        this.previous = MDC.get(MDC_KEY);
        MDC.put(MDC_KEY, id);
        if (LoggerFactory.getILoggerFactory() instanceof LoggerContext ctx) {
            PatternLayoutEncoder enc = new PatternLayoutEncoder();
            enc.setContext(ctx);
            enc.setPattern("%d{yyyy-MM-dd HH:mm:ss.SSS} %-5level %logger{0} - %msg%n");
            enc.start();
            appender = new FileAppender<>();
            appender.setContext(ctx);
            appender.setName("run-" + id);
            appender.setFile(file.toString());
            appender.setAppend(true);
            appender.setEncoder(enc);
            appender.addFilter(new Filter<>() {
                @Override
                public FilterReply decide(ILoggingEvent e) {
                    return id.equals(e.getMDCPropertyMap().get(MDC_KEY)) ? FilterReply.NEUTRAL : FilterReply.DENY;
                }
            });
            appender.start();
            ctx.getLogger(Logger.ROOT_LOGGER_NAME).addAppender(appender);
        } else {
            appender = null; // another SLF4J binding (a library user's): the console is all there is
        }
    }

    /**
     * For the console appender ({@link LogSetup}): a run's own messages at INFO and below go to its
     * run.log only; the console shows them through the job's listeners (progress bar, live lines)
     * instead, and shows warnings and errors of runs as of everything else.
     */
    public static final class ConsoleFilter extends Filter<ILoggingEvent> {
        @Override
        public FilterReply decide(ILoggingEvent e) {
            return e.getMDCPropertyMap().containsKey(MDC_KEY) && !e.getLevel().isGreaterOrEqual(ch.qos.logback.classic.Level.WARN)
                    ? FilterReply.DENY : FilterReply.NEUTRAL;
        }
    }

    /**
     * Keeps the current thread's messages below WARN off the console (as a run's are) without a run log to take
     * them: for work a command starts ahead of its run, such as loading the engine (ND4J's banner).
     */
    public static void quietThread() {
        MDC.put(MDC_KEY, "quiet");
    }

    /** Starts logging the current thread's run to {@code file} (appending: a resumed run continues its log). */
    public static RunLog open(Path file) throws IOException {
        Files.createDirectories(file.toAbsolutePath().getParent());
        return new RunLog(file);
    }

    public Path file() {
        return file;
    }

    /** The log so far, for copying into a results folder (empty if nothing was written). */
    public byte[] contents() throws IOException {
        return Files.isRegularFile(file) ? Files.readAllBytes(file) : new byte[0];
    }

    @Override
    public void close() {
        if (appender != null) {
            ((LoggerContext) LoggerFactory.getILoggerFactory()).getLogger(Logger.ROOT_LOGGER_NAME).detachAppender(appender);
            appender.stop();
        }
        if (previous == null) {
            MDC.remove(MDC_KEY);
        } else {
            MDC.put(MDC_KEY, previous);
        }
    }
}
