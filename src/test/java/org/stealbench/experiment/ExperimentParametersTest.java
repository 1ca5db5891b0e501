package org.stealbench.experiment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Every experiment field is declared once, and the record, the JSON Schema and the checks all follow the declaration. */
class ExperimentParametersTest {

    @Test
    void everyFieldOfTheRecordHasExactlyOneDeclarationInItsOrder() {
        List<String> components = Arrays.stream(ExperimentConfig.class.getRecordComponents()).map(c -> c.getName())
                .filter(n -> !n.equals("schema")).toList();
        assertEquals(components, ExperimentParameters.ALL.stream().map(ExperimentParameters.Parameter::name).toList());
        assertEquals(ExperimentParameters.ALL.size(), ExperimentParameters.ALL.stream().map(ExperimentParameters.Parameter::option).distinct().count(),
                "one option per field");
        @SuppressWarnings("unchecked")
        Map<String, Object> props = (Map<String, Object>) ExperimentParameters.jsonSchema().get("properties");
        assertEquals(components.size() + 1, props.size());
        assertTrue(props.keySet().containsAll(components));
    }

    @Test
    void theDefaultsAreTheDemoAndEveryCheckIsTheDeclarations() {
        ExperimentConfig d = ExperimentConfig.defaults();
        assertEquals(ExperimentConfig.demo("infonce"), d);
        assertEquals(2000, d.queries());
        assertEquals(List.of("fashion-mnist", "mnist", "digits"), d.tasks());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> d.withQueries(1));
        assertEquals(ExperimentParameters.QUERIES.check(1L), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> d.withEpochs(0));
        assertEquals(ExperimentParameters.EPOCHS.check(0L), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> d.withTasks(List.of()));
        assertEquals(ExperimentParameters.TASKS.check(List.of()), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> d.withArchitecture("vgg"));
        assertNotNull(ExperimentParameters.ARCHITECTURE.check("vgg"));
        assertEquals(ExperimentParameters.ARCHITECTURE.check("vgg"), e.getMessage());
        Map<String, Object> fields = d.toFields();
        fields.put("queries", 1500);
        assertEquals(d.withQueries(1500), ExperimentConfig.fromFields(fields));
        fields.put("loss", "hinge");
        e = assertThrows(IllegalArgumentException.class, () -> ExperimentConfig.fromFields(fields));
        assertTrue(e.getMessage().contains("not 'hinge'"), e.getMessage());
    }

    @Test
    void theCommandLineOffersAnOptionPerDeclaredField() {
        var steal = org.stealbench.cli.StealBenchCommandAccess.spec("steal");
        for (ExperimentParameters.Parameter<?> p : ExperimentParameters.ALL) {
            assertNotNull(steal.findOption(p.option()), p.option());
            assertEquals(p.help(), steal.findOption(p.option()).description()[0].replace("%%", "%"), p.option());
        }
        assertNotNull(steal.findOption(ExperimentParameters.RESULTS.option()));
        var compare = org.stealbench.cli.StealBenchCommandAccess.spec("compare-losses");
        assertEquals(null, compare.findOption(ExperimentParameters.LOSS.option()), "compare-losses sweeps the losses itself");
    }
}
