package org.stealbench.ui;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javafx.scene.control.TextField;
import javafx.stage.Stage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.stealbench.api.QueryRefusedException;
import org.stealbench.api.http.AccountingDb;
import org.stealbench.api.http.ApiServer;
import org.stealbench.api.http.HttpEncoderApi;
import org.stealbench.experiment.ExperimentConfig;
import org.stealbench.ui.model.RunViewModel;
import org.stealbench.ui.model.ServerViewModel;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;
import org.testfx.util.WaitForAsyncUtils;

/**
 * The Server view under Monocle: it starts a local server for the panel's victim, issues a key
 * that another tool uses (and is refused over its budget), steals through the server with the
 * panel's experiment while the query log and the accounting fill in, and stops the server.
 */
@ExtendWith(ApplicationExtension.class)
class ServerViewTest {

    private WorkbenchApp app;

    @Start
    void start(Stage stage) throws Exception {
        Path dir = Files.createTempDirectory("stealbench-ui-server");
        System.setProperty("stealbench.results", dir.resolve("results").toString());
        System.setProperty("stealbench.serverDb", dir.resolve("api.db").toString());
        app = new WorkbenchApp();
        app.start(stage);
    }

    @Test
    void servesTheVictimLogsEveryRequestAndStealsThroughIt(FxRobot robot) throws Exception {
        Workbench wb = app.workbench();
        ServerViewModel server = wb.server();
        robot.interact(() -> wb.showView("server"));
        robot.interact(() -> server.portProperty().set(0));
        robot.clickOn("#serverStart");
        WaitForAsyncUtils.waitFor(60, TimeUnit.SECONDS, () -> server.runningProperty().get());
        String url = server.urlProperty().get();
        assertTrue(url.startsWith("http://127.0.0.1:"), url);

        // a key for another tool, shown once; the tool is answered, then refused over its budget
        robot.clickOn("#keyName").write("curl-user");
        robot.clickOn("#issueKey");
        String key = robot.lookup("#issuedKey").queryAs(TextField.class).getText();
        assertTrue(key.matches("sb_[A-Za-z0-9_-]{43}"), "a 32-byte key, base64url: " + key);
        HttpEncoderApi tool = new HttpEncoderApi(URI.create(url), key);
        int[] chw = tool.inputShape();
        int per = chw[0] * chw[1] * chw[2];
        tool.query(key, new float[600 * per], 600).close();
        QueryRefusedException over = assertThrows(QueryRefusedException.class, () -> tool.query(key, new float[500 * per], 500));
        assertTrue(over.getMessage().contains("budget"), over.getMessage());
        WaitForAsyncUtils.waitFor(10, TimeUnit.SECONDS, () -> server.log().size() == 2);
        assertEquals(List.of("curl-user", "500", "429", "refused: budget"), ServerViewModel.columns(server.log().get(0)).subList(1, 5),
                "newest first");
        assertEquals(List.of("curl-user", "600", "200", "answered"), ServerViewModel.columns(server.log().get(1)).subList(1, 5));
        AccountingDb.Client curl = client(server, "curl-user");
        assertEquals(600, curl.answered());
        assertEquals(500, curl.refused());

        // the panel's experiment stolen through the server: every query arrives in the log
        robot.interact(() -> wb.form().load(ExperimentConfig.demo("mse").withQueries(256).withEpochs(1).withTasks(List.of("digits"))));
        WaitForAsyncUtils.waitFor(60, TimeUnit.SECONDS, () -> wb.form().validBinding().get());
        robot.clickOn("#serverSteal");
        WaitForAsyncUtils.waitFor(10, TimeUnit.SECONDS, () -> wb.queue().items().size() == 1);
        RunViewModel theft = wb.queue().items().get(0);
        assertEquals(url, ((org.stealbench.experiment.Job.Theft) theft.job()).config().api());
        WaitForAsyncUtils.waitFor(300, TimeUnit.SECONDS, () -> theft.state().finished());
        assertEquals(RunViewModel.State.COMPLETED, theft.state(), theft.messageProperty().get());
        WaitForAsyncUtils.waitFor(10, TimeUnit.SECONDS, () -> client(server, "workbench-1").answered() == 256);
        long logged = server.log().stream().filter(l -> l.client().equals("workbench-1") && l.status() == 200)
                .mapToLong(ApiServer.LogLine::images).sum();
        assertEquals(256, logged, "the theft's queries, request by request, in the log");
        assertEquals(256, client(server, "workbench-1").budget(), "the theft's key has the experiment's budget");
        assertEquals(server.log().size(), robot.lookup("#queryLog").queryTableView().getItems().size());

        robot.clickOn("#serverStart");
        WaitForAsyncUtils.waitFor(30, TimeUnit.SECONDS, () -> !server.runningProperty().get() && !server.busyProperty().get());
        HttpClient http = HttpClient.newHttpClient();
        Exception closed = assertThrows(Exception.class, () -> http.send(HttpRequest.newBuilder(URI.create(url + "/v1/info")).build(),
                HttpResponse.BodyHandlers.ofString()));
        assertTrue(closed instanceof ConnectException || closed.getCause() instanceof ConnectException, closed.toString());
        assertFalse(server.statusProperty().get().isEmpty());
    }

    private static AccountingDb.Client client(ServerViewModel server, String name) {
        return server.clients().stream().filter(c -> c.name().equals(name)).findFirst()
                .orElseThrow(() -> new AssertionError("no client " + name + " in " + server.clients()));
    }
}
