/**
 * The JavaFX workbench: views (FXML), view models and charts. The only package that may import JavaFX, ControlsFX or JFreeChart.
 */
package org.stealbench.ui;
