package org.stealbench.ui;

import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.Supplier;
import javafx.beans.value.ChangeListener;
import javafx.beans.value.ObservableValue;
import org.stealbench.experiment.ExperimentConfig;
import org.stealbench.ui.model.ExperimentViewModel;
import org.stealbench.ui.model.RunViewModel;
import org.stealbench.ui.model.TeachingTexts;

/** What a lesson step's button does (resources/README.md lists the actions): set up the panel, queue a theft, open a view. */
final class LessonSteps implements Consumer<TeachingTexts.Action> {

    private final ExperimentViewModel form;
    private final Supplier<RunViewModel> submit;
    private final Consumer<String> showView;
    private final Consumer<String> status;

    LessonSteps(ExperimentViewModel form, Supplier<RunViewModel> submit, Consumer<String> showView, Consumer<String> status) {
        this.form = form;
        this.submit = submit;
        this.showView = showView;
        this.status = status;
    }

    @Override
    public void accept(TeachingTexts.Action a) {
        switch (a.verb()) {
            case "victim":
                form.victimProperty().set(ExperimentConfig.BUNDLED);
                showView.accept("data");
                break;
            case "steal":
                steal(a.params());
                break;
            case "compare":
                showView.accept("curves");
                break;
            case "server":
                showView.accept("server");
                break;
            default:
                break;
        }
    }

    private void steal(Map<String, String> p) {
        ExperimentConfig cfg = ExperimentConfig.demo(p.getOrDefault("loss", "infonce"));
        if (p.containsKey("queries")) {
            cfg = cfg.withQueries(Integer.parseInt(p.get("queries")));
        }
        if (p.containsKey("epochs")) {
            cfg = cfg.withEpochs(Integer.parseInt(p.get("epochs")));
        }
        if (p.containsKey("defenses")) {
            cfg = cfg.withDefenses(List.of(p.get("defenses").split(",")));
        }
        form.load(cfg);
        // the panel checks the experiment in the background: queue it once it is valid
        if (form.validBinding().get()) {
            submit.get();
            return;
        }
        form.validBinding().addListener(new ChangeListener<>() {
            @Override
            public void changed(ObservableValue<? extends Boolean> o, Boolean was, Boolean valid) {
                if (valid) {
                    o.removeListener(this);
                    submit.get();
                }
            }
        });
        status.accept("Checking the lesson's experiment...");
    }
}
