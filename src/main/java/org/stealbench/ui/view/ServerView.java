package org.stealbench.ui.view;

import java.util.Locale;
import java.util.function.Function;
import java.util.function.Supplier;
import javafx.beans.binding.Bindings;
import javafx.beans.property.ReadOnlyObjectWrapper;
import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.geometry.Insets;
import javafx.geometry.Pos;
import javafx.scene.control.Button;
import javafx.scene.control.Label;
import javafx.scene.control.SplitPane;
import javafx.scene.control.TableCell;
import javafx.scene.control.TableColumn;
import javafx.scene.control.TableView;
import javafx.scene.control.TextField;
import javafx.scene.control.TextFormatter;
import javafx.scene.control.Tooltip;
import javafx.scene.layout.FlowPane;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.Region;
import javafx.scene.layout.VBox;
import org.stealbench.api.http.AccountingDb;
import org.stealbench.api.http.ApiServer;
import org.stealbench.defense.DefenseCatalog;
import org.stealbench.ui.model.ServerViewModel;

/**
 * The Server view: start and stop a local HTTP server for the experiment panel's victim (port,
 * defences at the server), steal from it with the panel's experiment, issue keys for other tools,
 * and watch the clients' accounting and the live query log (client, images, answered or refused,
 * the defences' verdicts).
 */
public final class ServerView extends VBox {

    private final TableView<ApiServer.LogLine> logTable = new TableView<>();
    private final TableView<AccountingDb.Client> clientTable = new TableView<>();

    /**
     * @param victim    the victim to serve (the experiment panel's)
     * @param steal     queues the panel's experiment as a theft through the running server
     */
    public ServerView(ServerViewModel server, Supplier<String> victim, Runnable steal) {

        Label head = new Label("The victim as an HTTP API");
        head.getStyleClass().add("section");
        Label intro = new Label("Serve the experiment panel's victim on this machine, as a company would sell it: clients need a key, "
                + "each key has a budget, the defences act at the server, and every request is accounted in a database. "
                + "Point a theft at it (Steal through the server), or curl and Python (README).");
        intro.setWrapText(true);
        intro.setMinHeight(Region.USE_PREF_SIZE);
        intro.getStyleClass().add("note");

        TextField port = new TextField();
        port.setId("serverPort");
        port.setPrefColumnCount(6);
        port.setTextFormatter(new TextFormatter<>(new javafx.util.converter.IntegerStringConverter(), server.portProperty().get(),
                c -> c.getControlNewText().matches("\\d{0,5}") ? c : null));
        port.textProperty().addListener((o, a, b) -> {
            if (!b.isEmpty()) {
                server.portProperty().set(Integer.parseInt(b));
            }
        });
        server.portProperty().addListener((o, a, b) -> {
            if (!port.getText().equals(b.toString())) {
                port.setText(b.toString());
            }
        });
        port.setTooltip(new Tooltip("The port to listen on, on 127.0.0.1 (this machine only); 0 picks any free one."));
        TextField defenses = new TextField();
        defenses.setId("serverDefenses");
        defenses.setPrefColumnCount(22);
        defenses.setPromptText("none (e.g. prada, pow)");
        defenses.textProperty().bindBidirectional(server.defensesProperty());
        defenses.setTooltip(new Tooltip("Defences in front of the victim, in order, comma-separated as experiments name them: "
                + DefenseCatalog.ids() + ". They are calibrated on the victim's own images when the server starts."));
        Button start = new Button("Start server");
        start.setId("serverStart");
        start.setMinWidth(Region.USE_PREF_SIZE);
        start.textProperty().bind(Bindings.when(server.runningProperty()).then("Stop server").otherwise("Start server"));
        start.disableProperty().bind(server.busyProperty());
        start.setOnAction(e -> {
            if (server.runningProperty().get()) {
                server.stop();
            } else {
                server.start(victim.get());
            }
        });
        Button stealButton = new Button("Steal through the server");
        stealButton.setId("serverSteal");
        stealButton.setMinWidth(Region.USE_PREF_SIZE);
        stealButton.disableProperty().bind(server.runningProperty().not().or(server.busyProperty()));
        stealButton.setTooltip(new Tooltip("Queue the experiment panel's theft with its queries sent over HTTP to this server, with new keys "
                + "whose budgets are the experiment's queries (the server's defences replace the experiment's)."));
        stealButton.setOnAction(e -> steal.run());
        defenses.disableProperty().bind(server.runningProperty().or(server.busyProperty()));
        port.disableProperty().bind(server.runningProperty().or(server.busyProperty()));
        FlowPane controls = new FlowPane(8, 6, fixed("Port"), port, fixed("Defences"), defenses, start, stealButton);
        controls.setAlignment(Pos.CENTER_LEFT);
        Label status = new Label();
        status.setId("serverStatus");
        status.setWrapText(true);
        status.setMinHeight(Region.USE_PREF_SIZE);
        status.textProperty().bind(server.statusProperty());

        TextField keyName = new TextField();
        keyName.setId("keyName");
        keyName.setPromptText("client name");
        keyName.setPrefColumnCount(12);
        TextField keyBudget = new TextField("1000");
        keyBudget.setId("keyBudget");
        keyBudget.setPrefColumnCount(7);
        keyBudget.setTextFormatter(new TextFormatter<String>(c -> c.getControlNewText().matches("\\d{0,12}") ? c : null));
        TextField keyRate = new TextField("0");
        keyRate.setPrefColumnCount(5);
        keyRate.setTextFormatter(new TextFormatter<String>(c -> c.getControlNewText().matches("\\d{0,9}") ? c : null));
        keyRate.setTooltip(new Tooltip("Images a minute this key may send (0: no limit)."));
        Button issue = new Button("Issue key");
        issue.setId("issueKey");
        issue.disableProperty().bind(server.runningProperty().not().or(keyName.textProperty().isEmpty()).or(keyBudget.textProperty().isEmpty()));
        TextField shownKey = new TextField();
        shownKey.setId("issuedKey");
        shownKey.setEditable(false);
        shownKey.setPrefColumnCount(30);
        shownKey.textProperty().bind(server.lastKeyProperty());
        shownKey.visibleProperty().bind(server.lastKeyShownProperty());
        shownKey.setTooltip(new Tooltip("The key, shown once (only its hash is stored): copy it into your client's Authorization: Bearer header."));
        issue.setOnAction(e -> {
            if (server.issueKey(keyName.getText(), Long.parseLong(keyBudget.getText()), keyRate.getText().isEmpty() ? 0
                    : Long.parseLong(keyRate.getText())) != null) {
                keyName.clear();
                shownKey.requestFocus();
                shownKey.selectAll();
            }
        });
        FlowPane keys = new FlowPane(8, 6, fixed("New key"), keyName, fixed("budget"), keyBudget, fixed("images/min"), keyRate, issue, shownKey);
        keys.setAlignment(Pos.CENTER_LEFT);

        clientTable.setId("clientTable");
        clientColumn("Client", 150, AccountingDb.Client::name);
        clientColumn("Budget", 80, c -> Long.toString(c.budget()));
        clientColumn("Answered", 85, c -> Long.toString(c.answered()));
        clientColumn("Refused", 75, c -> Long.toString(c.refused()));
        clientColumn("Denied", 70, c -> Long.toString(c.denied()));
        clientColumn("Flagged", 70, c -> Long.toString(c.flagged()));
        clientColumn("PoW hashes", 150, c -> c.powHashes() == 0 ? "" : String.format(Locale.ROOT, "%.3g (max %d bits)", c.powHashes(),
                c.powMaxBits()));
        clientColumn("CPU s", 70, c -> String.format(Locale.ROOT, "%.2f", c.computeSeconds()));
        clientColumn("Blocked", 260, c -> c.blockedReason() == null ? "" : c.blockedReason());
        clientTable.setItems(server.clients());
        clientTable.setPlaceholder(new Label("No clients yet: issue a key, or steal through the server."));
        Label clientsHead = new Label("Clients");
        clientsHead.getStyleClass().add("section");
        VBox top = new VBox(8, head, intro, controls, status, keys);
        top.setPadding(new Insets(10, 10, 4, 10));
        VBox clientsBox = new VBox(6, clientsHead, clientTable);
        clientsBox.setPadding(new Insets(6, 10, 6, 10));
        VBox.setVgrow(clientTable, Priority.ALWAYS);

        Label logHead = new Label("Query log");
        logHead.getStyleClass().add("section");
        Label count = new Label();
        count.getStyleClass().add("note");
        count.textProperty().bind(Bindings.createStringBinding(() -> server.log().isEmpty() ? ""
                : "newest first; the last " + Math.min(server.log().size(), ServerViewModel.LOG_LINES) + " requests", server.log()));
        Region gap = new Region();
        HBox.setHgrow(gap, Priority.ALWAYS);
        HBox logBar = new HBox(8, logHead, gap, count);
        logBar.setAlignment(Pos.CENTER_LEFT);
        logTable.setId("queryLog");
        logColumn("Time", 80, 0).setMinWidth(80);
        logColumn("Client", 150, 1);
        logColumn("Images", 70, 2).setMinWidth(65);
        logColumn("Status", 60, 3).setMinWidth(60);
        TableColumn<ApiServer.LogLine, String> outcome = logColumn("Outcome", 175, 4);
        outcome.setMinWidth(175);
        outcome.setCellFactory(c -> new TableCell<>() {
            @Override
            protected void updateItem(String item, boolean empty) {
                super.updateItem(item, empty);
                setText(empty ? null : item);
                getStyleClass().removeAll("log-refused", "log-answered");
                if (!empty && item != null) {
                    getStyleClass().add(item.equals("answered") ? "log-answered" : "log-refused");
                }
            }
        });
        logColumn("Defences' verdict or reason", 520, 5).setCellFactory(c -> new TableCell<>() {
            @Override
            protected void updateItem(String item, boolean empty) {
                super.updateItem(item, empty);
                setText(empty ? null : item);
                setTooltip(empty || item == null || item.isEmpty() ? null : new Tooltip(item));
            }
        });
        logTable.setItems(server.log());
        logTable.setPlaceholder(new Label("Requests appear here as they arrive."));
        logTable.setColumnResizePolicy(TableView.CONSTRAINED_RESIZE_POLICY);
        VBox bottom = new VBox(6, logBar, logTable);
        bottom.setPadding(new Insets(10));
        VBox.setVgrow(logTable, Priority.ALWAYS);
        SplitPane split = new SplitPane(clientsBox, bottom);
        split.setOrientation(javafx.geometry.Orientation.VERTICAL);
        split.setDividerPositions(0.38);
        VBox.setVgrow(split, Priority.ALWAYS);
        getChildren().addAll(top, split);
    }

    private static Label fixed(String text) {
        Label l = new Label(text);
        l.setMinWidth(Region.USE_PREF_SIZE);
        return l;
    }

    private void clientColumn(String title, double width, Function<AccountingDb.Client, String> value) {
        TableColumn<AccountingDb.Client, String> c = new TableColumn<>(title);
        c.setPrefWidth(width);
        c.setCellValueFactory(d -> new ReadOnlyStringWrapper(value.apply(d.getValue())));
        clientTable.getColumns().add(c);
    }

    private TableColumn<ApiServer.LogLine, String> logColumn(String title, double width, int index) {
        TableColumn<ApiServer.LogLine, String> c = new TableColumn<>(title);
        c.setPrefWidth(width);
        c.setCellValueFactory(d -> new ReadOnlyObjectWrapper<>(ServerViewModel.column(d.getValue(), index)));
        logTable.getColumns().add(c);
        return c;
    }

    public TableView<ApiServer.LogLine> logTable() {
        return logTable;
    }

    public TableView<AccountingDb.Client> clientTable() {
        return clientTable;
    }
}
