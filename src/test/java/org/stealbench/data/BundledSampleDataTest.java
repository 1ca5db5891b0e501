package org.stealbench.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The sample-data/ folder this checkout ships: what the demo needs, matching its README. */
class BundledSampleDataTest {

    static final Path SAMPLE = Path.of(System.getProperty("stealbench.home", ".")).resolve("sample-data");

    @TempDir
    Path empty;

    DatasetRegistry registry() {
        // Nothing on "the system" or in the user folder: only the bundled data can answer.
        return DatasetRegistry.standard(new DatasetRegistry.Roots(SAMPLE, empty.resolve("sys"), empty.resolve("user")));
    }

    @Test
    void holdsWhatTheDemoProtocolNeeds() {
        DatasetRegistry reg = registry();
        DatasetSplits fm = reg.load("fashion-mnist");
        assertEquals(DatasetLocation.Origin.BUNDLED, fm.location().origin());
        assertEquals(20_000, fm.train().size());
        assertEquals(10_000, fm.test().size());
        assertEquals(28, fm.train().height());
        DatasetSplits mnist = reg.load("mnist");
        assertEquals(8_000, mnist.train().size());
        assertEquals(2_000, mnist.test().size());
        for (int c : mnist.test().classCounts()) {
            assertEquals(200, c);
        }
        DatasetSplits digits = reg.load("digits");
        assertEquals(4_000, digits.train().size());
        assertEquals(1_000, digits.test().size());
        assertEquals(20, digits.train().width());
    }

    @Test
    void checksumsInTheReadmeMatchTheFiles() throws Exception {
        String readme = Files.readString(SAMPLE.resolve("README.md"));
        Matcher m = Pattern.compile("([0-9a-f]{64})  (\\S+)").matcher(readme);
        int n = 0;
        while (m.find()) {
            assertEquals(m.group(1), SampleDataBuilder.sha256(SAMPLE.resolve(m.group(2))), m.group(2));
            n++;
        }
        assertEquals(12, n, "three datasets of four files each");
    }

    @Test
    void builderWritesSubsetsThatReadBack() throws Exception {
        DatasetRegistry reg = registry();
        Path out = empty.resolve("out");
        SampleDataBuilder.build(reg, java.util.List.of(new SampleDataBuilder.Subset("digits", "digits@bundled", 30, 20,
                "test", "test", "test")), out);
        DatasetRegistry back = DatasetRegistry.standard(new DatasetRegistry.Roots(out, empty.resolve("sys"), empty.resolve("user")));
        DatasetSplits s = back.load("digits");
        assertEquals(30, s.train().size());
        assertEquals(20, s.test().size());
        assertArrayEquals(reg.load("digits").train().imageBytes(29), s.train().imageBytes(29));
        assertTrue(Files.readString(out.resolve("README.md")).contains("digits/train-images-idx3-ubyte.gz"));
    }
}
