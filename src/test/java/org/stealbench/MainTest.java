package org.stealbench;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.stealbench.model.NativeBackend;

/** The entry point's --backend option and the command it restarts with (ND4J's priorities are read from the environment). */
class MainTest {

    @Test
    void takesTheBackendOptionOutOfTheArguments() {
        String before = System.getProperty(NativeBackend.BACKEND_PROPERTY);
        try {
            assertArrayEquals(new String[] {"steal", "--loss", "mse"}, Main.takeBackend(new String[] {"--backend", "cpu", "steal", "--loss", "mse"}));
            assertEquals("cpu", System.getProperty(NativeBackend.BACKEND_PROPERTY));
            assertArrayEquals(new String[] {"steal"}, Main.takeBackend(new String[] {"steal", "--backend=auto"}));
            assertEquals("auto", System.getProperty(NativeBackend.BACKEND_PROPERTY));
        } finally {
            if (before == null) {
                System.clearProperty(NativeBackend.BACKEND_PROPERTY);
            } else {
                System.setProperty(NativeBackend.BACKEND_PROPERTY, before);
            }
        }
    }

    @Test
    void restartsWithTheSameJvmOptionsClassPathAndArguments() {
        List<String> cmd = Main.relaunchCommand("/jdk/bin/java", List.of("-Xmx4g", "--module-path=/fx", "--add-modules=javafx.controls"), "/a.jar:/b.jar",
                "/fx", "cpu", new String[] {"steal", "--loss", "mse"});
        assertEquals(List.of("/jdk/bin/java", "-Xmx4g", "--module-path=/fx", "--add-modules=javafx.controls", "-Dstealbench.backend=cpu", "-cp",
                "/a.jar:/b.jar", "org.stealbench.Main", "steal", "--loss", "mse"), cmd);
    }
}
