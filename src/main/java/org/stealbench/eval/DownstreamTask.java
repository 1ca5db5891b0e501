package org.stealbench.eval;

import org.stealbench.data.ImageDataset;

/**
 * A downstream classification task: images to train a probe on and images to test it on. Which
 * images they are is the protocol's decision ({@code experiment.Protocol}); they never include
 * the victim's training images, the attacker's queries or the held-out images.
 */
public record DownstreamTask(String name, ImageDataset train, ImageDataset test) {
}
