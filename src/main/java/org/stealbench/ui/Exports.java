package org.stealbench.ui;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.function.Consumer;
import org.jfree.chart.JFreeChart;
import org.stealbench.data.format.DataFiles;
import org.stealbench.experiment.ResultTables;
import org.stealbench.ui.model.ResultsViewModel;
import org.stealbench.ui.view.Charts;

/** Exporting what the views show: charts as PNG or SVG, the comparison tables as CSV, LaTeX and Markdown, each file written atomically. */
final class Exports {

    private final Dialogs dialogs;
    private final ResultsViewModel results;
    private final Consumer<String> status;

    Exports(Dialogs dialogs, ResultsViewModel results, Consumer<String> status) {
        this.dialogs = dialogs;
        this.results = results;
        this.status = status;
    }

    /** Asks where, then writes one file per chart: NAME-1.png, NAME-2.png, ... (or .svg). */
    void charts(List<JFreeChart> charts, String prefix) {
        Path f = dialogs.chartsFile(prefix).orElse(null);
        if (f == null) {
            return;
        }
        String name = f.getFileName().toString();
        String ext = name.toLowerCase(Locale.ROOT).endsWith(".svg") ? ".svg" : ".png";
        String stem = stem(name);
        try {
            for (int k = 0; k < charts.size(); k++) {
                Charts.export(charts.get(k), f.resolveSibling(stem + "-" + (k + 1) + ext), 1000, 640);
            }
            status.accept("Exported " + charts.size() + " charts as " + stem + "-N" + ext);
        } catch (IOException | RuntimeException e) {
            dialogs.error("Cannot export the charts", e.getMessage(), e);
        }
    }

    /** Asks where, then writes the checked runs' table (and the paper table over seeds, when computed) in three formats. */
    void table() {
        Path f = dialogs.tableFile().orElse(null);
        if (f == null) {
            return;
        }
        String stem = stem(f.getFileName().toString());
        ResultTables.Table paper = results.paperTableProperty().get();
        try {
            write(f, stem, results.table());
            if (paper != null) {
                write(f, stem + "-over-seeds", paper.render());
            }
            status.accept("Exported the table of " + results.selected().size() + " runs as " + stem + ".csv, .tex, .md"
                    + (paper != null ? ", and the paper table over seeds as " + stem + "-over-seeds.*" : ""));
        } catch (IOException e) {
            dialogs.error("Cannot export the table", e.getMessage(), e);
        }
    }

    private static void write(Path beside, String stem, ResultTables.Tables t) throws IOException {
        for (String[] x : new String[][] {{".csv", t.csv()}, {".tex", t.latex()}, {".md", t.markdown()}}) {
            byte[] b = x[1].getBytes(StandardCharsets.UTF_8);
            DataFiles.writeAtomically(beside.resolveSibling(stem + x[0]), o -> o.write(b));
        }
    }

    private static String stem(String name) {
        return name.contains(".") ? name.substring(0, name.lastIndexOf('.')) : name;
    }
}
