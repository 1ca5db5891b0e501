package org.stealbench.experiment.bench;

import org.stealbench.model.Architecture;
import org.stealbench.model.nn.Conv2d;
import org.stealbench.model.nn.Flatten;
import org.stealbench.model.nn.InputConv2d;
import org.stealbench.model.nn.Layer;
import org.stealbench.model.nn.Linear;
import org.stealbench.model.nn.MaxPool2d;
import org.stealbench.model.nn.Relu;
import org.stealbench.model.nn.Sequential;
import org.stealbench.model.train.BatchLoss;
import org.stealbench.model.train.InfoNceLoss;
import org.stealbench.model.train.MseLoss;

/**
 * The PyTorch peer's training workloads (scripts/peers/torch_peer.py), for a side-by-side ratio:
 * its 3-conv CNN (conv-ReLU-maxpool x3, 32/64/128 channels, Linear(2048, 64)) with MSE and
 * InfoNCE at batch 128 and 256, and CIFAR ResNet-18 with MSE at batch 128; 3x32x32 inputs,
 * Adam lr 1e-3. Workload (e) is the demo theft's own copy (the small CNN with batch norm,
 * 1x32x32 in, 128-d out) with the stealing InfoNCE loss at its batch of 256, on both sides (the
 * peer's {@code demo_cnn} and {@code stealing_infonce}), so the demo's training phase can be set
 * against the engine's speed, and PyTorch's, on the same network in the same hour.
 */
public enum EngineWorkload {
    A("a", "(a) CNN MSE B=128", false, false, 128),
    B("b", "(b) CNN InfoNCE B=128", false, true, 128),
    C1("c1", "(c1) CNN MSE B=256", false, false, 256),
    C2("c2", "(c2) CNN InfoNCE B=256", false, true, 256),
    D("d", "(d) ResNet18 MSE B=128", true, false, 128),
    E("e", "(e) demo copy: small-cnn with batch norm, stealing InfoNCE B=256, 1x32x32", false, true, 256);

    final String key;
    final String title;
    final boolean resnet;
    final boolean infoNce;
    final int batch;

    EngineWorkload(String key, String title, boolean resnet, boolean infoNce, int batch) {
        this.key = key;
        this.title = title;
        this.resnet = resnet;
        this.infoNce = infoNce;
        this.batch = batch;
    }

    public static EngineWorkload of(String key) {
        for (EngineWorkload w : values()) {
            if (w.key.equals(key)) {
                return w;
            }
        }
        throw new IllegalArgumentException("unknown workload '" + key + "'; known: a, b, c1, c2, d, e");
    }

    int channels() {
        return this == E ? 1 : 3;
    }

    int outputDim() {
        return resnet ? 512 : this == E ? 128 : 64;
    }

    Layer network() {
        if (this == E) {
            return Architecture.SMALL_CNN.trunk(1, 32, 32, 128);
        }
        if (resnet) {
            return Architecture.RESNET18.trunk(3, 32, 32, 512);
        }
        // conv -> maxpool -> relu equals the peer's conv -> relu -> maxpool (they commute).
        return new Sequential(new InputConv2d(3, 32, 3, 1, true), new MaxPool2d(2), new Relu(),
                new Conv2d(32, 64, 3, 1, 1, true), new MaxPool2d(2), new Relu(),
                new Conv2d(64, 128, 3, 1, 1, true), new MaxPool2d(2), new Relu(),
                new Flatten(), new Linear(2048, 64));
    }

    BatchLoss loss() {
        if (this == E) {
            return org.stealbench.attack.StealingLoss.of("infonce").create();
        }
        return infoNce ? new InfoNceLoss(0.07) : new MseLoss();
    }
}
