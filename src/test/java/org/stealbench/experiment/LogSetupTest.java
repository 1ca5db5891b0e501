package org.stealbench.experiment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.LoggingEvent;
import ch.qos.logback.core.Appender;
import ch.qos.logback.core.spi.FilterReply;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The console's logging as {@link LogSetup} sets it up (logback finds it through META-INF/services). */
class LogSetupTest {

    @Test
    void theConsoleShowsInfoAndUpButNotTheInfoLinesOfRuns() {
        LoggerContext fresh = new LoggerContext();
        LogSetup setup = new LogSetup();
        setup.setContext(fresh);
        setup.configure(fresh);
        Logger root = fresh.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        assertEquals(Level.INFO, root.getLevel());
        Appender<ILoggingEvent> console = root.getAppender("STDERR");
        assertNotNull(console, "a console appender");
        assertEquals(FilterReply.NEUTRAL, console.getFilterChainDecision(event(root, Level.INFO, Map.of())), "everything else's INFO");
        assertEquals(FilterReply.DENY, console.getFilterChainDecision(event(root, Level.INFO, Map.of(RunLog.MDC_KEY, "run"))),
                "a run's INFO goes to its run.log only");
        assertEquals(FilterReply.NEUTRAL, console.getFilterChainDecision(event(root, Level.WARN, Map.of(RunLog.MDC_KEY, "run"))),
                "a run's warnings reach the console too");
        assertEquals(Level.ERROR, fresh.getLogger("org.deeplearning4j.nn.modelimport.keras").getLevel());
        fresh.stop();
    }

    @Test
    void logbackFindsItWithoutAConfigurationFile() {
        LoggerContext context = (LoggerContext) org.slf4j.LoggerFactory.getILoggerFactory();
        Appender<ILoggingEvent> console = context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME).getAppender("STDERR");
        assertNotNull(console, "the process's logging is LogSetup's");
    }

    private static ILoggingEvent event(Logger logger, Level level, Map<String, String> mdc) {
        LoggingEvent e = new LoggingEvent(Logger.class.getName(), logger, level, "message", null, null);
        e.setMDCPropertyMap(mdc);
        return e;
    }
}
