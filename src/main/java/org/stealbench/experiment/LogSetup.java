package org.stealbench.experiment;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.spi.Configurator;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.ConsoleAppender;
import ch.qos.logback.core.spi.ContextAwareBase;

/**
 * Logback's configuration, in code (found through {@code META-INF/services}): INFO and up on standard
 * error, without the lines of runs that the console shows through the job's listeners
 * ({@link RunLog.ConsoleFilter}); a run's own log file is added by {@link RunLog}. In code rather than a
 * logback.xml because reading the XML took 0.2-0.3 s of every command's start (decision 0010); a file
 * named by {@code -Dlogback.configurationFile} replaces it.
 */
public final class LogSetup extends ContextAwareBase implements Configurator {

    @Override
    public ExecutionStatus configure(LoggerContext context) {
        if (System.getProperty("logback.configurationFile") != null) {
            // the user's own configuration file, read by logback's next configurator
            return ExecutionStatus.INVOKE_NEXT_IF_ANY;
        }
        PatternLayoutEncoder encoder = new PatternLayoutEncoder();
        encoder.setContext(context);
        encoder.setPattern("[%thread] %-5level %logger{36} - %msg%n");
        encoder.start();
        RunLog.ConsoleFilter filter = new RunLog.ConsoleFilter();
        filter.setContext(context);
        filter.start();
        ConsoleAppender<ILoggingEvent> console = new ConsoleAppender<>();
        console.setContext(context);
        console.setName("STDERR");
        console.setTarget("System.err");
        console.setEncoder(encoder);
        console.addFilter(filter);
        console.start();
        ch.qos.logback.classic.Logger root = context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        root.setLevel(Level.INFO);
        root.addAppender(console);
        // importing a victim: Keras import warns about the training configuration an encoder does not need
        context.getLogger("org.deeplearning4j.nn.modelimport.keras").setLevel(Level.ERROR);
        return ExecutionStatus.DO_NOT_INVOKE_NEXT_IF_ANY;
    }
}
